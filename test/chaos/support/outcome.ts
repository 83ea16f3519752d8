import { badTimelines, deadLetterCount, deadLetterSummary, deliveryCounts, ordersInDb, stockDrift, stockLevels, waitDelivered } from './checks';
import type { Customers } from './customers';
import type { ChaosStack } from './stack';

/** Every invariant of a finished run, measured once: the report's counts and what the expectations check. */
export async function settle(
  c: ChaosStack,
  customers: Customers,
  start: { stock: Map<string, number>; orders: number },
  timeoutMs = 180_000,
) {
  const ids = customers.placed.map((o) => o.id);
  const stuck = await waitDelivered(c.db, ids, timeoutMs);
  const deliveries = await deliveryCounts(c.db, c.redis, ids);
  const timelines = await badTimelines(c.db, ids);
  const drift = stockDrift(start.stock, await stockLevels(c.db), customers.taken());
  const newOrders = (await ordersInDb(c.db)) - start.orders;
  const deadLetters = await deadLetterCount(c.redis);
  if (deadLetters) process.stdout.write(`dead letters: ${JSON.stringify(await deadLetterSummary(c.redis), null, 1)}\n`);
  if (stuck.length || drift.length) process.stdout.write(`${c.lastLines()}\n`);
  return {
    stuck,
    deliveries,
    timelines,
    drift,
    newOrders,
    deadLetters,
    counts: {
      ...customers.counts,
      ordersInDb: newOrders,
      delivered: ids.length - stuck.length,
      notDelivered: stuck.length,
      deliveriesNotOne: deliveries.notOne.length,
      deliveryCreatedNotOne: deliveries.eventsNotOne.length,
      badTimelines: timelines.length,
      stockDrift: drift.length,
      deadLetters,
    },
  };
}

/**
 * The invariants every settled run must show: each customer got an answer, every accepted order (and no
 * other) was delivered exactly once with a sound timeline, stock is conserved and nothing was dead-lettered.
 * A run whose stream entries may be gone (trimmed, or lost with Redis' data) counts deliveries in the
 * collection only (`deliveryEvents: false`).
 */
export function expectIntact(
  outcome: Awaited<ReturnType<typeof settle>>,
  customers: Customers,
  checks: { deliveryEvents?: boolean; deadLetters?: boolean } = {},
): void {
  expect(customers.counts.unresolved).toBe(0);
  expect(outcome.stuck).toEqual([]);
  expect(outcome.newOrders).toBe(customers.counts.accepted);
  expect(outcome.deliveries.notOne).toEqual([]);
  if (checks.deliveryEvents ?? true) expect(outcome.deliveries.eventsNotOne).toEqual([]);
  expect(outcome.timelines).toEqual([]);
  expect(outcome.drift).toEqual([]);
  if (checks.deadLetters ?? true) expect(outcome.deadLetters).toBe(0);
}
