import { STREAMS, fieldsFromList } from '@pizza/shared';
import { waitFor } from '@pizza/shared/testing';
import { getOrder, placeOrder, type PlacedOrder } from './api';
import { usePipeline, type ServiceProcess } from './harness';

/** Processes killed with SIGKILL mid-flight: every order still completes, exactly once. */
jest.setTimeout(120_000);
const p = usePipeline();
/** Slow enough that a kill lands mid-run. */
const SLOW = { SIMULATOR_MIN_DELAY_MS: '20', SIMULATOR_MAX_DELAY_MS: '120' };
let orders: ServiceProcess;
let delivery: ServiceProcess;
let simulator: ServiceProcess;

beforeAll(async () => {
  [orders, delivery, simulator] = await Promise.all([
    p.spawn('orders'),
    p.spawn('delivery'),
    // Slow from the start, not only after the restart: the kill below must land before every order is done.
    p.spawn('simulator', { env: SLOW }),
  ]);
}, 120_000);

async function statusOf(order: PlacedOrder): Promise<string> {
  return (await getOrder(orders.url, order)).status;
}

async function allDelivered(placed: PlacedOrder[]): Promise<void> {
  await waitFor(async () => (await Promise.all(placed.map(statusOf))).every((s) => s === 'delivered'), {
    timeoutMs: 60_000,
    intervalMs: 100,
    what: 'every order delivered',
  });
}

function deliveriesOf(orderId: string): Promise<number> {
  return p.db.collection('deliveries').countDocuments({ order_id: orderId });
}

async function deliveryEventsFor(orderId: string) {
  const entries = await p.redis.xrange(STREAMS.deliveries, '-', '+');
  return entries
    .map(([, list]) => fieldsFromList(list))
    .filter((f) => f.event_type === 'delivery.created' && f.payload?.includes(orderId));
}

test('when the simulator is SIGKILLed mid-run and restarted, every order still reaches delivered', async () => {
  const placed = await Promise.all(Array.from({ length: 12 }, (_, i) => placeOrder(orders.url, i)));
  // Killed while some orders are advancing and none is finished.
  await waitFor(async () => (await Promise.all(placed.map(statusOf))).some((s) => s !== 'created'), {
    intervalMs: 10,
    what: 'orders advancing',
  });
  await p.kill9(simulator);
  expect((await Promise.all(placed.map(statusOf))).every((s) => s === 'delivered')).toBe(false);

  simulator = await p.spawn('simulator', { env: SLOW });
  await allDelivered(placed);
  for (const order of placed) expect(await deliveriesOf(order.id)).toBe(1);
});

test('when delivery dies between its commit and its publish, then after a restart there is one delivery and the order is delivered', async () => {
  await p.stop(delivery);
  const doomed = await p.spawn('delivery', {
    label: 'delivery-doomed',
    env: { FAULT_CRASH_AFTER_COMMIT: '1' },
  });
  const order = await placeOrder(orders.url, 50);
  await doomed.handle.exited;
  expect(doomed.handle.child.signalCode).toBe('SIGKILL');
  expect(await deliveriesOf(order.id)).toBe(1);
  expect(await deliveryEventsFor(order.id)).toHaveLength(0); // committed, never published

  delivery = await p.spawn('delivery');
  await allDelivered([order]);
  expect(await deliveriesOf(order.id)).toBe(1);
  expect(await deliveryEventsFor(order.id)).toHaveLength(1);
});
