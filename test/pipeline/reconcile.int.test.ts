import { ORDER_LIFECYCLE, STREAMS } from '@pizza/shared';
import { metricValue, waitFor } from '@pizza/shared/testing';
import { TIMER_KEYS } from '@pizza/simulator/src/store/timer-store';
import { orderTimerId } from '@pizza/simulator/src/domain/timers';
import { getOrder, placeOrder, type PlacedOrder } from './api';
import { usePipeline, type ServiceProcess } from './harness';
import { Tracker } from './ws';

/**
 * The reconcilers on real processes, real Redis and MongoDB: an order whose next step was lost (its timer
 * fired and the event vanished; or the whole of Redis' data) makes no progress within RECONCILE_STALL_MS, is
 * re-driven, and goes the whole way; a tracker connecting afterwards sees where it ended.
 */
jest.setTimeout(120_000);
const p = usePipeline();
const RECONCILE = { RECONCILE_STALL_MS: '800', RECONCILE_INTERVAL_MS: '100' };
let orders: ServiceProcess;
let delivery: ServiceProcess;
let gateway: ServiceProcess;
const trackers: Tracker[] = [];

beforeAll(async () => {
  [orders, delivery, gateway] = await Promise.all([
    p.spawn('orders', { env: RECONCILE }),
    p.spawn('delivery', { env: RECONCILE }),
    p.spawn('notifications'),
  ]);
}, 120_000);

afterEach(() => {
  for (const tracker of trackers.splice(0)) tracker.close();
});

async function waitDelivered(order: PlacedOrder): Promise<void> {
  await waitFor(async () => (await getOrder(orders.url, order)).status === 'delivered', {
    timeoutMs: 60_000,
    intervalMs: 100,
    what: `order ${order.id} delivered`,
  });
}

/** A tracker connecting now: the first state it is sent is the gateway's cached state of the order. */
async function trackerSees(order: PlacedOrder, last: string): Promise<string[]> {
  const tracker = new Tracker(gateway.url, order.id, order.token);
  trackers.push(tracker);
  return tracker.waitUntil(last);
}

test('when a step fired but its event was lost, then the stalled order is re-driven and delivered', async () => {
  const before = await metricValue(orders.url, 'reconcile_redriven_total', {
    service: 'orders',
    step: 'confirmed',
  });
  const order = await placeOrder(orders.url);
  await waitFor(async () => (await p.redis.xlen(STREAMS.simulateOrder)) > 0, {
    what: 'the first step asked for',
  });
  // As if the simulator had fired the step and its event had been lost: the request alone is now a no-op.
  await p.redis.set(`${TIMER_KEYS.firedPrefix}${orderTimerId(order.id, 'confirmed')}`, '1');
  await p.spawn('simulator');

  await waitDelivered(order);
  expect(
    await metricValue(orders.url, 'reconcile_redriven_total', { service: 'orders', step: 'confirmed' }),
  ).toBeGreaterThan(before);
  expect((await getOrder(orders.url, order)).timeline.map((t) => t.status)).toEqual(
    ORDER_LIFECYCLE.happyPath,
  );
  expect(await trackerSees(order, 'delivered/delivered')).toEqual(['delivered/delivered']);
});

test('when Redis loses everything while orders wait on the delivery service, then they are re-driven, delivered, and a tracker sees it', async () => {
  // The orders process is shared by every test of the file: its counter counts from where it stands now.
  const redrivenDelivered = () =>
    metricValue(orders.url, 'reconcile_redriven_total', { service: 'orders', step: 'delivered' });
  const before = await redrivenDelivered();
  const placed = await p.whilePaused(delivery, async () => {
    const list = [await placeOrder(orders.url, 1), await placeOrder(orders.url, 2)];
    await waitFor(
      async () =>
        (await Promise.all(list.map((o) => getOrder(orders.url, o)))).every(
          (o) => o.status === 'out_for_delivery',
        ),
      { timeoutMs: 30_000, intervalMs: 100, what: 'orders out for delivery' },
    );
    // Lost with it: the orders' events the delivery service never read, and the gateway's cache.
    await p.redis.flushall();
    return list;
  });

  for (const order of placed) await waitDelivered(order);
  // Each order was re-driven at least once (more if the delivery took longer than a stall bound).
  expect(await redrivenDelivered()).toBeGreaterThanOrEqual(before + placed.length);
  for (const order of placed)
    expect(await trackerSees(order, 'delivered/delivered')).toEqual(['delivered/delivered']);
});
