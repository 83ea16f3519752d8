import { newEvent, type Envelope } from '@pizza/shared';
import {
  ORDER_LIFECYCLE,
  STREAMS,
  type DeliveryStatus,
  type OrderStatus,
  type SimulatedOrderStatus,
} from '@pizza/shared/contract';
import { movesTo, upTo, waitFor, metricValue } from '@pizza/shared/testing';
import { call, orderRequest, type OrderBody } from './support/http';
import { addItems, eventsOn, menuItem, uid, useStack } from './support/stack';

const stack = useStack();

async function placeOrder(): Promise<OrderBody> {
  const pizza = uid('pizza');
  await addItems(stack.db, menuItem(pizza, 10));
  const res = await call<OrderBody>(stack.url, 'POST', '/api/v1/orders', { json: orderRequest([pizza, 2]) });
  expect(res.status).toBe(201);
  return res.body;
}

const read = async (order: OrderBody) =>
  (await call<OrderBody>(stack.url, 'GET', `/api/v1/orders/${order.id}?token=${order.tracking_token}`)).body;

function simulated(orderId: string, status: SimulatedOrderStatus) {
  return newEvent(
    'order.status_simulated',
    { order_id: orderId, status },
    { source: 'simulator', correlationId: orderId },
  );
}

/** Publishes and waits until the order has `status`. */
async function drive(order: OrderBody, ...statuses: SimulatedOrderStatus[]) {
  for (const status of statuses) {
    await stack.bus.publish(simulated(order.id, status));
    await waitFor(async () => (await read(order)).status === status, { what: `order ${status}` });
  }
}

const rejected = (reason: string) => metricValue(stack.url, 'order_transitions_rejected_total', { reason });

/** The simulator's steps up to `status`: what drives an order there. */
const stepsTo = (status: SimulatedOrderStatus) => upTo(ORDER_LIFECYCLE.simulated, status);
const { happyPath } = ORDER_LIFECYCLE;

async function statusChanges(orderId: string): Promise<[OrderStatus, OrderStatus][]> {
  const events = await eventsOn(stack.redis, STREAMS.orders, orderId);
  return events
    .filter((e): e is Envelope<'order.status_changed'> => e.event_type === 'order.status_changed')
    .map((e) => [e.payload.from, e.payload.status]);
}

describe('status changes from the simulator, through the transition table', () => {
  test('each step is applied in turn, with order.status_changed and the next simulation request', async () => {
    const order = await placeOrder();
    await drive(order, ...ORDER_LIFECYCLE.simulated);

    const last = ORDER_LIFECYCLE.simulated.at(-1)!;
    expect((await read(order)).timeline.map((t) => t.status)).toEqual(upTo(happyPath, last));
    const moves = movesTo(happyPath, last);
    await waitFor(async () => (await statusChanges(order.id)).length === moves.length);
    expect(await statusChanges(order.id)).toEqual(moves);
    const asks = await eventsOn(stack.redis, STREAMS.simulateOrder, order.id);
    expect(asks.map((e) => (e.payload as { next_status: string }).next_status)).toEqual(
      ORDER_LIFECYCLE.simulated,
    );
  });

  test('a skip (created → preparing) is rejected and counted, and the order stays created', async () => {
    const order = await placeOrder();
    const before = await rejected('skip');
    await stack.bus.publish(simulated(order.id, 'preparing'));
    await waitFor(async () => (await rejected('skip')) === before + 1, { what: 'skip counted' });
    expect((await read(order)).status).toBe('created');
  });

  test('going back (preparing → confirmed) is rejected and counted', async () => {
    const order = await placeOrder();
    await drive(order, ...stepsTo('preparing'));
    const before = await rejected('backwards');
    await stack.bus.publish(
      newEvent(
        'order.status_simulated',
        { order_id: order.id, status: 'confirmed' },
        { source: 'simulator' },
      ),
    );
    await waitFor(async () => (await rejected('backwards')) === before + 1, { what: 'step back counted' });
    expect((await read(order)).status).toBe('preparing');
  });

  test('the same event twice applies once; the repeat, like another event for a status already reached, is stale', async () => {
    const order = await placeOrder();
    const [first, second] = ORDER_LIFECYCLE.simulated;
    const staleBefore = await rejected('stale');
    const step = simulated(order.id, first);
    await stack.bus.publish(step);
    await stack.bus.publish(step);
    await stack.bus.publish(simulated(order.id, first));
    // No inbox: the order's own status refuses the repeat.
    await waitFor(async () => (await rejected('stale')) === staleBefore + 2, { what: 'stale counted' });
    // Entries about one order are handled in stream order, so all three were handled before this one.
    await drive(order, second);

    expect((await read(order)).timeline.map((t) => t.status)).toEqual(upTo(happyPath, second));
    await waitFor(async () => (await statusChanges(order.id)).length === 2);
    expect(await statusChanges(order.id)).toEqual(movesTo(happyPath, second));
  });

  test('a status change for an unknown order is dead-lettered, not retried forever', async () => {
    const event = simulated('no-such-order', 'confirmed');
    await stack.bus.publish(event);
    await waitFor(
      async () => {
        const letters = await stack.redis.xrange(STREAMS.deadLetters, '-', '+');
        return letters.some(([, list]) => list.includes(event.event_id));
      },
      { what: 'dead letter' },
    );
  });
});

describe('delivery events', () => {
  test('the delivery summary follows the delivery, never goes back, and delivered completes the order', async () => {
    const order = await placeOrder();
    await drive(order, ...stepsTo('out_for_delivery'));
    const delivery = uid('delivery');
    const base = Date.now();
    const at = (s: number) => new Date(base + s * 1000).toISOString();
    const origin = { source: 'delivery', correlationId: order.id };
    const changed = (from: DeliveryStatus, status: DeliveryStatus, when: string) =>
      newEvent(
        'delivery.status_changed',
        { delivery_id: delivery, order_id: order.id, from, status, at: when },
        origin,
      );

    await stack.bus.publish(
      newEvent(
        'delivery.created',
        { delivery_id: delivery, order_id: order.id, status: 'waiting', address: 'x', at: at(1) },
        origin,
      ),
    );
    await waitFor(async () => (await read(order)).delivery?.status === 'waiting', { what: 'waiting' });
    expect((await read(order)).delivery).toEqual({ id: delivery, status: 'waiting', updated_at: at(1) });

    await stack.bus.publish(changed('waiting', 'on_the_way', at(2)));
    await waitFor(async () => (await read(order)).delivery?.status === 'on_the_way', { what: 'on the way' });
    await stack.bus.publish(changed('on_the_way', 'waiting', at(3))); // a regression: ignored
    await stack.bus.publish(changed('on_the_way', 'delivered', at(4)));
    await waitFor(async () => (await read(order)).status === 'delivered', { what: 'delivered' });

    const final = await read(order);
    expect(final.delivery).toEqual({ id: delivery, status: 'delivered', updated_at: at(4) });
    expect(final.timeline.map((t) => t.status)).toEqual(happyPath);
    const moves = movesTo(happyPath);
    await waitFor(async () => (await statusChanges(order.id)).length === moves.length);
    expect((await statusChanges(order.id)).at(-1)).toEqual(moves.at(-1));
  });
});
