import {
  fieldsFromList,
  fieldsToList,
  newEvent,
  STREAMS,
  toStreamFields,
  WS_CLOSE_NOT_FOUND,
} from '@pizza/shared';
import { TRACKING_SEQUENCE, waitFor } from '@pizza/shared/testing';
import { getOrder, ORDER_STATUS_PATH, placeOrder, type PlacedOrder } from './api';
import { usePipeline, type ServiceProcess } from './harness';
import { Tracker } from './ws';

/**
 * The whole choreography as real processes: orders, delivery, two notifications replicas, and the simulator
 * (delays 0–20 ms). The simulator is frozen (SIGSTOP) while orders are placed and watched, so the clients are
 * sure to be watching before the first step and can be expected to see every step.
 */
jest.setTimeout(120_000);
const p = usePipeline();
let orders: ServiceProcess;
let gateways: ServiceProcess[];
let simulator: ServiceProcess;
const trackers: Tracker[] = [];

beforeAll(async () => {
  const [o, n1, n2, s] = await Promise.all([
    p.spawn('orders'),
    p.spawn('notifications', { label: 'notifications-1' }),
    p.spawn('notifications', { label: 'notifications-2' }),
    p.spawn('simulator'),
    p.spawn('delivery'),
  ]);
  orders = o;
  gateways = [n1, n2];
  simulator = s;
}, 120_000);

afterEach(() => {
  for (const tracker of trackers.splice(0)) tracker.close();
});

function track(gateway: ServiceProcess, order: PlacedOrder): Tracker {
  const tracker = new Tracker(gateway.url, order.id, order.token);
  trackers.push(tracker);
  return tracker;
}

/** Places orders, and watches each on both replicas until `created` is shown; the simulator waits meanwhile. */
function placeAndWatch(count: number, offset: number) {
  return p.whilePaused(simulator, async () => {
    const placed = await Promise.all(
      Array.from({ length: count }, (_, i) => placeOrder(orders.url, offset + i)),
    );
    const watched = placed.map((order) => ({ order, trackers: gateways.map((g) => track(g, order)) }));
    await Promise.all(watched.flatMap((w) => w.trackers.map((t) => t.waitUntil('created/null'))));
    return watched;
  });
}

async function expectDelivered(order: PlacedOrder) {
  const view = await waitFor(
    async () => {
      const current = await getOrder(orders.url, order);
      return current.status === 'delivered' ? current : undefined;
    },
    { timeoutMs: 60_000, what: `order ${order.id} delivered` },
  );
  expect(view.timeline.map((t) => t.status)).toEqual(ORDER_STATUS_PATH);
  expect(view.delivery).toMatchObject({ status: 'delivered' });
  expect(await p.db.collection('deliveries').countDocuments({ order_id: order.id })).toBe(1);
}

test('an order reaches delivered, and a client on each replica sees every step once, in order', async () => {
  const [watched] = await placeAndWatch(1, 0);
  const simulator = await p.spawn('simulator');
  try {
    for (const tracker of watched!.trackers)
      expect(await tracker.waitUntil('delivered/delivered')).toEqual(TRACKING_SEQUENCE);
    await expectDelivered(watched!.order);
  } finally {
    await p.stop(simulator);
  }
});

test('50 concurrent orders all reach delivered, each client seeing every step once, in order', async () => {
  const watched = await placeAndWatch(50, 100);
  const simulator = await p.spawn('simulator');
  try {
    for (const { trackers: pair } of watched) {
      for (const tracker of pair)
        expect(await tracker.waitUntil('delivered/delivered', 60_000)).toEqual(TRACKING_SEQUENCE);
    }
    for (const { order } of watched) await expectDelivered(order);
  } finally {
    await p.stop(simulator);
  }
});

test('a reconnecting client gets the current state at once, on either replica', async () => {
  const [watched] = await placeAndWatch(1, 200);
  // Once the first clients have seen the end, the cache holds it: a new connection starts there.
  for (const tracker of watched!.trackers) await tracker.waitUntil('delivered/delivered');
  for (const gateway of gateways) {
    const again = track(gateway, watched!.order);
    await waitFor(() => again.messages.length > 0, { what: 'state on reconnect' });
    expect(again.sequence).toEqual(['delivered/delivered']);
  }
});

test('a bad token is closed with 4404', async () => {
  const order = await placeOrder(orders.url, 300);
  const tracker = track(gateways[0]!, { id: order.id, token: `${order.token}x` });
  expect(await tracker.closed).toBe(WS_CLOSE_NOT_FOUND);
  expect(tracker.messages).toEqual([{ type: 'error', code: 'not_found', message: expect.any(String) }]);
});

test('a poison entry on orders-stream ends in dead-letters while other orders keep flowing', async () => {
  const bad = newEvent(
    'order.simulate',
    { order_id: 'poison', next_status: 'confirmed' },
    { source: 'test' },
  );
  const fields = {
    ...toStreamFields(bad),
    event_type: 'order.created',
    payload: JSON.stringify({ order_id: 'poison', total: -1 }),
  };
  const poisonId = String(await p.redis.xadd(STREAMS.orders, '*', ...fieldsToList(fields)));
  const order = await placeOrder(orders.url, 400);

  const groupsReadingOrders = ['delivery-group', 'notifications-group', 'simulator-group'];
  await waitFor(
    async () => {
      const letters = (await p.redis.xrange(STREAMS.deadLetters, '-', '+')).map(([, list]) =>
        fieldsFromList(list),
      );
      const groups = letters.filter((l) => l.original_id === poisonId).map((l) => l.group);
      return groupsReadingOrders.every((g) => groups.includes(g));
    },
    { timeoutMs: 30_000, what: 'the poison entry dead-lettered by every group reading orders-stream' },
  );
  const letter = (await p.redis.xrange(STREAMS.deadLetters, '-', '+'))
    .map(([, l]) => fieldsFromList(l))
    .find((l) => l.original_id === poisonId)!;
  expect(letter).toMatchObject({
    original_stream: STREAMS.orders,
    event_type: 'order.created',
    payload: fields.payload,
  });
  await expectDelivered(order);
});
