import { freePort, startRedisServer, type RedisInstance } from '@pizza/stack';
import { waitFor } from '@pizza/shared/testing';
import { Customers } from './support/customers';
import { ordersInDb, stockLevels } from './support/checks';
import { expectIntact, settle } from './support/outcome';
import { report, SIZE } from './support/scale';
import { startChaosStack, startChaosStackOn, type ChaosStack } from './support/stack';

/**
 * Redis loses all its data mid-run, by FLUSHALL or by a restart with no persistence: streams, groups, pending
 * entries, the simulator's timers and the gateway's cache are gone. The consumers recreate their groups, and
 * the reconcilers re-drive every order and delivery that makes no progress within RECONCILE_STALL_MS (small
 * here), so every accepted order is delivered, once, with stock conserved.
 */
const RECONCILE = { RECONCILE_STALL_MS: '3000', RECONCILE_INTERVAL_MS: '250' };
let chaos: ChaosStack | undefined;
let redis: RedisInstance | undefined;

afterEach(async () => {
  await chaos?.stop();
  await redis?.stop();
  [chaos, redis] = [undefined, undefined];
}, 120_000);

/** Customers order while `loseData` runs once a third of the orders were placed; then the run is settled. */
async function runLosingData(name: string, c: ChaosStack, loseData: () => Promise<void>) {
  const before = await stockLevels(c.db);
  const ordersBefore = await ordersInDb(c.db);
  const customers = new Customers(c.stack.url, [...before.keys()]);
  const started = performance.now();
  const ordering = customers.run(SIZE.dataLoss.orders, SIZE.dataLoss.ratePerSecond);
  await waitFor(() => customers.counts.accepted >= SIZE.dataLoss.orders / 3, {
    timeoutMs: 60_000,
    what: 'a third of the orders accepted',
  });
  const acceptedBeforeLoss = customers.counts.accepted;
  const unfinishedAtLoss = await c.db.collection('orders').countDocuments({ status: { $ne: 'delivered' } });
  const lostAt = performance.now();
  await loseData();
  await ordering;
  const outcome = await settle(c, customers, { stock: before, orders: ordersBefore }, 90_000);
  report(name, {
    acceptedBeforeLoss,
    unfinishedAtLoss,
    settledAfterLossMs: Math.round(performance.now() - lostAt),
    settledMs: Math.round(performance.now() - started),
    ...outcome.counts,
  });
  expect(unfinishedAtLoss).toBeGreaterThan(0);
  expect(customers.counts.accepted).toBeGreaterThan(acceptedBeforeLoss);
  // delivery.created events from before the loss are gone with it: deliveries are counted in the collection.
  expectIntact(outcome, customers, { deliveryEvents: false, deadLetters: false });
}

test('when Redis is flushed (FLUSHALL) mid-run, then every accepted order is delivered once and stock is conserved', async () => {
  const c = (chaos = await startChaosStack(RECONCILE));
  await runLosingData('redis-flushall', c, async () => {
    await c.redis.flushall();
  });
}, 240_000);

test('when Redis restarts empty (no persistence) mid-run, then every accepted order is delivered once and stock is conserved', async () => {
  const port = await freePort();
  redis = await startRedisServer({ port });
  chaos = await startChaosStackOn({ REDIS_URL: redis.url }, RECONCILE);
  await runLosingData('redis-restart-empty', chaos, async () => {
    await redis!.stop();
    redis = await startRedisServer({ port });
  });
}, 240_000);
