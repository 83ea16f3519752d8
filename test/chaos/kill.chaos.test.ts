import { SERVICE_NAMES } from '@pizza/stack';
import { Customers } from './support/customers';
import {
  badTimelines,
  deadLetterCount,
  deadLetterSummary,
  deliveryCounts,
  ordersInDb,
  stockDrift,
  stockLevels,
  waitDelivered,
} from './support/checks';
import { report, SEED, SIZE } from './support/scale';
import { startChaosStack, type ChaosStack } from './support/stack';

/**
 * SIGKILL a random service every few seconds while customers order, each killed process replaced by a fresh
 * one (stack.restart). Nothing a customer was told (201) may be lost, no order may get two deliveries, and
 * stock must fall by exactly what the accepted orders took.
 */
let chaos: ChaosStack | undefined;
let killing = false;
let killer: Promise<void> = Promise.resolve();

afterAll(async () => {
  killing = false;
  await killer;
  await chaos?.stop();
}, 120_000);

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

test('when a random service is SIGKILLed every few seconds mid-run, then every accepted order is delivered exactly once and stock is conserved', async () => {
  const c = (chaos = await startChaosStack());
  const before = await stockLevels(c.db);
  const ordersBefore = await ordersInDb(c.db);
  const customers = new Customers(c.stack.url, [...before.keys()]);
  const random = prng(SEED);
  const kills: Record<string, number> = {};
  killing = true;
  const round: string[] = [];

  // The kill cadence is a schedule, not a synchronisation: each restart is awaited before the next one.
  // Kills stop with the customers, or at the planned length of the run if ordering is slowed by the kills.
  const started = performance.now();
  const killUntil = started + (SIZE.kill.orders / SIZE.kill.ratePerSecond) * 1000;
  const killLog: string[] = [];
  killer = (async () => {
    while (killing && performance.now() < killUntil) {
      await new Promise((r) => setTimeout(r, SIZE.kill.killEveryMs));
      if (!killing) break;
      // A random order per round of four: random, and every service is hit once the run is long enough.
      if (round.length === 0) round.push(...[...SERVICE_NAMES].sort(() => random() - 0.5));
      const label = round.pop()!;
      killLog.push(`${label}@${((performance.now() - started) / 1000).toFixed(1)}s`);
      await c.stack.restart(label, 'SIGKILL');
      kills[label] = (kills[label] ?? 0) + 1;
    }
  })();
  try {
    await customers.run(SIZE.kill.orders, SIZE.kill.ratePerSecond);
  } finally {
    killing = false;
    await killer;
  }

  const runMs = Math.round(performance.now() - started);
  const ids = customers.placed.map((o) => o.id);
  const stuck = await waitDelivered(c.db, ids, 180_000);
  const settledMs = Math.round(performance.now() - started);
  const deliveries = await deliveryCounts(c.db, c.redis, ids);
  const timelines = await badTimelines(c.db, ids);
  const drift = stockDrift(before, await stockLevels(c.db), customers.taken());
  const newOrders = (await ordersInDb(c.db)) - ordersBefore;
  const deadLetters = await deadLetterCount(c.redis);
  report('kill', {
    seed: SEED,
    runMs,
    settledMs,
    kills,
    killLog: killLog.join(','),
    ...customers.counts,
    ordersInDb: newOrders,
    delivered: ids.length - stuck.length,
    notDelivered: stuck.length,
    deliveriesNotOne: deliveries.notOne.length,
    deliveryCreatedNotOne: deliveries.eventsNotOne.length,
    badTimelines: timelines.length,
    stockDrift: drift.length,
    deadLetters,
  });
  if (deadLetters)
    process.stdout.write(`dead letters: ${JSON.stringify(await deadLetterSummary(c.redis), null, 1)}\n`);
  if (stuck.length || drift.length) process.stdout.write(`${c.lastLines()}\n`);

  expect(Object.values(kills).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  expect(customers.counts.unresolved).toBe(0);
  expect(customers.counts.accepted).toBeGreaterThan(0);
  expect(stuck).toEqual([]);
  expect(newOrders).toBe(customers.counts.accepted);
  expect(deliveries.notOne).toEqual([]);
  expect(deliveries.eventsNotOne).toEqual([]);
  expect(timelines).toEqual([]);
  expect(drift).toEqual([]);
  expect(deadLetters).toBe(0);
}, 480_000);
