import { newEvent, type Envelope } from '@pizza/shared';
import { ORDER_LIFECYCLE, STREAMS, type SimulatedOrderStatus } from '@pizza/shared/contract';
import { waitFor, metricValue, upTo } from '@pizza/shared/testing';
import { call, orderRequest, type ErrorReply, type OrderBody } from './support/http';
import { addItems, eventsOn, menuItem, stockOf, uid, useStack } from './support/stack';

const stack = useStack();

const cancel = (order: OrderBody, token = order.tracking_token) =>
  call<OrderBody & ErrorReply>(stack.url, 'POST', `/api/v1/orders/${order.id}/cancel?token=${token}`);

async function place(lines: [string, number][]): Promise<OrderBody> {
  const res = await call<OrderBody>(stack.url, 'POST', '/api/v1/orders', { json: orderRequest(...lines) });
  expect(res.status).toBe(201);
  return res.body;
}

async function moveTo(order: OrderBody, status: SimulatedOrderStatus) {
  await stack.bus.publish(
    newEvent('order.status_simulated', { order_id: order.id, status }, { source: 'simulator' }),
  );
  await waitFor(
    async () => (await stack.db.collection('orders').findOne({ _id: order.id as never }))?.status === status,
  );
}

describe('cancelling', () => {
  test('a confirmed order is cancelled, every line restocked exactly, and order.cancelled published', async () => {
    const [a, b] = [uid('a'), uid('b')];
    await addItems(stack.db, menuItem(a, 20), menuItem(b, 20));
    const order = await place([
      [a, 3],
      [b, 5],
      [a, 2],
    ]);
    await place([[a, 1]]); // another customer's order keeps its units
    await moveTo(order, 'confirmed');

    const res = await cancel(order);

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');
    expect(res.body.timeline.map((t) => t.status)).toEqual([
      ...upTo(ORDER_LIFECYCLE.happyPath, 'confirmed'),
      'cancelled',
    ]);
    expect([await stockOf(stack.db, a), await stockOf(stack.db, b)]).toEqual([19, 20]);
    const cancelled = await waitFor(async () =>
      (await eventsOn(stack.redis, STREAMS.orders, order.id)).find(
        (e): e is Envelope<'order.cancelled'> => e.event_type === 'order.cancelled',
      ),
    );
    expect(cancelled.payload).toMatchObject({ order_id: order.id, from: 'confirmed', status: 'cancelled' });
    expect(cancelled.payload.items).toEqual([
      { item_id: a, quantity: 5 },
      { item_id: b, quantity: 5 },
    ]);
    // The stock given back is announced with the level and version the cancel left (a: three writes, b: two).
    const restocked = await waitFor(async () =>
      (await eventsOn(stack.redis, STREAMS.menu)).find(
        (e): e is Envelope<'stock.changed'> =>
          e.event_type === 'stock.changed' && e.payload.items.some((i) => i.item_id === b && i.stock === 20),
      ),
    );
    expect(restocked.payload.items).toEqual([
      { item_id: a, stock: 19, version: 3 },
      { item_id: b, stock: 20, version: 2 },
    ]);
  });

  test('cancelling twice gives the stock back once', async () => {
    const a = uid('a');
    await addItems(stack.db, menuItem(a, 10));
    const order = await place([[a, 4]]);
    const [first, second] = await Promise.all([cancel(order), cancel(order)]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    expect(await stockOf(stack.db, a)).toBe(10);
  });

  test('after out_for_delivery, a cancel is 409 not_cancellable and the stock stays taken', async () => {
    const a = uid('a');
    await addItems(stack.db, menuItem(a, 10));
    const order = await place([[a, 4]]);
    for (const status of upTo(ORDER_LIFECYCLE.simulated, 'out_for_delivery')) await moveTo(order, status);

    const res = await cancel(order);

    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('not_cancellable');
    expect(await stockOf(stack.db, a)).toBe(6);
  });

  test('a cancel with a wrong token is the same 404 as for an unknown order, and changes nothing', async () => {
    const a = uid('a');
    await addItems(stack.db, menuItem(a, 10));
    const order = await place([[a, 1]]);
    const wrong = await cancel(order, 'not-the-token');
    const unknown = await cancel({ ...order, id: 'no-such-order' });
    expect(wrong.status).toBe(404);
    expect(wrong.body).toEqual(unknown.body);
    expect(await stockOf(stack.db, a)).toBe(9);
  });

  test('a status change arriving after the cancel is refused', async () => {
    const a = uid('a');
    await addItems(stack.db, menuItem(a, 10));
    const order = await place([[a, 1]]);
    expect((await cancel(order)).status).toBe(200);
    const before = await metricValue(stack.url, 'order_transitions_rejected_total', { reason: 'terminal' });
    await stack.bus.publish(
      newEvent(
        'order.status_simulated',
        { order_id: order.id, status: 'confirmed' },
        { source: 'simulator' },
      ),
    );
    await waitFor(
      async () =>
        (await metricValue(stack.url, 'order_transitions_rejected_total', { reason: 'terminal' })) ===
        before + 1,
    );
    expect((await stack.db.collection('orders').findOne({ _id: order.id as never }))?.status).toBe(
      'cancelled',
    );
  });
});
