import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startRedisServer, type RedisInstance } from '@pizza/stack';
import { waitFor } from '@pizza/shared/testing';
import { Customers } from './support/customers';
import {
  badTimelines,
  deadLetterCount,
  deliveryCounts,
  ordersInDb,
  stockDrift,
  stockLevels,
  waitDelivered,
} from './support/checks';
import { report, SIZE } from './support/scale';
import { startChaosStack, type ChaosStack } from './support/stack';

/**
 * Redis (AOF on) is stopped and started again on the same port and data directory while customers order.
 * Streams, consumer groups, pending entries and the gateway cache must all come back from the AOF, and
 * every service must reconnect by itself: nothing accepted may be lost.
 */
let chaos: ChaosStack | undefined;
let redis: RedisInstance | undefined;
const REDIS_DOWN_MS = 2_000;
const dir = mkdtempSync(join(tmpdir(), 'pizza-chaos-redis-'));

afterAll(async () => {
  await chaos?.stop();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

test('when Redis restarts mid-run with AOF on, then every accepted order is delivered exactly once and stock is conserved', async () => {
  const port = await freePort();
  redis = await startRedisServer({ appendonly: true, dir, port });
  const previous = process.env.REDIS_URL;
  process.env.REDIS_URL = redis.url;
  try {
    chaos = await startChaosStack();
  } finally {
    if (previous === undefined) delete process.env.REDIS_URL;
    else process.env.REDIS_URL = previous;
  }
  const c = chaos;
  const before = await stockLevels(c.db);
  const ordersBefore = await ordersInDb(c.db);
  const customers = new Customers(c.stack.url, [...before.keys()]);

  const started = performance.now();
  const ordering = customers.run(SIZE.redis.orders, SIZE.redis.ratePerSecond);
  // Mid-run: once a third of the orders were placed.
  await waitFor(() => customers.counts.orders >= SIZE.redis.orders / 3, {
    timeoutMs: 120_000,
    what: 'a third of the orders',
  });
  const downAt = performance.now();
  const acceptedBefore = customers.counts.accepted;
  await redis.stop();
  // Kept down for a while (a fault schedule, not a synchronisation), so outboxes and readers must wait it out.
  await new Promise((r) => setTimeout(r, REDIS_DOWN_MS));
  redis = await startRedisServer({ appendonly: true, dir, port });
  const downMs = Math.round(performance.now() - downAt);
  const acceptedWhileDown = customers.counts.accepted - acceptedBefore;
  await ordering;
  const runMs = Math.round(performance.now() - started);

  const ids = customers.placed.map((o) => o.id);
  const stuck = await waitDelivered(c.db, ids, 180_000);
  const deliveries = await deliveryCounts(c.db, c.redis, ids);
  const timelines = await badTimelines(c.db, ids);
  const drift = stockDrift(before, await stockLevels(c.db), customers.taken());
  const newOrders = (await ordersInDb(c.db)) - ordersBefore;
  const deadLetters = await deadLetterCount(c.redis);
  report('redis-restart', {
    redisDownMs: downMs,
    acceptedWhileDown,
    runMs,
    settledMs: Math.round(performance.now() - started),
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
  if (stuck.length || drift.length) process.stdout.write(`${c.lastLines()}\n`);

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
