import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startRedisServer, type RedisInstance } from '@pizza/stack';
import { waitFor } from '@pizza/shared/testing';
import { Customers } from './support/customers';
import { ordersInDb, stockLevels } from './support/checks';
import { expectIntact, settle } from './support/outcome';
import { report, SIZE } from './support/scale';
import { startChaosStackOn, type ChaosStack } from './support/stack';

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
  const c = (chaos = await startChaosStackOn({ REDIS_URL: redis.url }));
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

  const outcome = await settle(c, customers, { stock: before, orders: ordersBefore });
  report('redis-restart', {
    redisDownMs: downMs,
    acceptedWhileDown,
    runMs,
    settledMs: Math.round(performance.now() - started),
    ...outcome.counts,
  });

  expect(customers.counts.accepted).toBeGreaterThan(0);
  expectIntact(outcome, customers);
}, 480_000);
