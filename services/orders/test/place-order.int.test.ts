import { STREAMS, type Envelope } from '@pizza/shared/contract';
import { waitFor } from '@pizza/shared/testing';
import { call, customer, orderRequest, type ErrorReply, type OrderBody } from './support/http';
import { addItems, eventsOn, menuItem, stockOf, uid, useStack } from './support/stack';

const stack = useStack();
const post = (body: unknown, headers: Record<string, string> = {}) =>
  call<OrderBody & ErrorReply>(stack.url, 'POST', '/api/v1/orders', { json: body, headers });

describe('placing an order', () => {
  test('when an order is placed, then it is created with server prices, a token, and order.created on the stream', async () => {
    const [pizza, drink] = [uid('pizza'), uid('drink')];
    await addItems(
      stack.db,
      menuItem(pizza, 5, { price: 899 }),
      menuItem(drink, 5, { price: 250, category: 'drink' }),
    );

    const res = await post(orderRequest([pizza, 2], [drink, 1], [pizza, 1]));

    expect(res.status).toBe(201);
    expect(res.body.status).toBe('created');
    expect(res.body.items.map((l) => [l.item_id, l.quantity, l.line_total])).toEqual([
      [pizza, 3, 2697],
      [drink, 1, 250],
    ]);
    expect(res.body.total).toBe(2947);
    expect(res.body.tracking_token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(res.body.timeline.map((t) => t.status)).toEqual(['created']);
    expect(res.body.delivery).toBeNull();
    expect([await stockOf(stack.db, pizza), await stockOf(stack.db, drink)]).toEqual([2, 4]);

    const stored = await stack.db.collection('orders').findOne({ _id: res.body.id as never });
    expect(JSON.stringify(stored)).not.toContain(res.body.tracking_token);

    const [created] = await waitFor(async () => {
      const events = await eventsOn(stack.redis, STREAMS.orders, res.body.id);
      return events.length > 0 ? events : undefined;
    });
    expect(created!.event_type).toBe('order.created');
    expect(created!.payload).toMatchObject({
      order_id: res.body.id,
      total: 2947,
      customer,
      token_hash: stored!.token_hash,
    });
    const simulate = await waitFor(
      async () => (await eventsOn(stack.redis, STREAMS.simulateOrder, res.body.id))[0],
    );
    expect(simulate.payload).toEqual({ order_id: res.body.id, next_status: 'confirmed' });
    expect(simulate.correlation_id).toBe(created!.correlation_id);
    // The levels the order left, from its own transaction, for the live menu.
    const levels = await waitFor(async () =>
      (await eventsOn(stack.redis, STREAMS.menu)).find(
        (e): e is Envelope<'stock.changed'> =>
          e.event_type === 'stock.changed' && e.correlation_id === created!.correlation_id,
      ),
    );
    expect(levels.payload.items).toEqual(
      [
        { item_id: pizza, stock: 2, version: 1 },
        { item_id: drink, stock: 4, version: 1 },
      ].sort((x, y) => (x.item_id < y.item_id ? -1 : 1)),
    );
  });

  test('the order reads back with its token; a wrong token and an unknown id get the very same 404', async () => {
    const pizza = uid('pizza');
    await addItems(stack.db, menuItem(pizza, 5));
    const { body: order } = await post(orderRequest([pizza, 1]));

    const ok = await call<OrderBody>(
      stack.url,
      'GET',
      `/api/v1/orders/${order.id}?token=${order.tracking_token}`,
    );
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual(
      Object.fromEntries(Object.entries(order).filter(([k]) => k !== 'tracking_token')),
    );

    const wrongToken = await call(
      stack.url,
      'GET',
      `/api/v1/orders/${order.id}?token=${order.tracking_token.slice(1)}x`,
    );
    const unknownId = await call(
      stack.url,
      'GET',
      `/api/v1/orders/00000000-0000-4000-8000-000000000000?token=${order.tracking_token}`,
    );
    const noToken = await call(stack.url, 'GET', `/api/v1/orders/${order.id}`);
    expect(wrongToken.status).toBe(404);
    expect(wrongToken.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    expect(unknownId.body).toEqual(wrongToken.body);
    expect(noToken.body).toEqual(wrongToken.body);
  });

  test('when 200 buyers race for the last 10 units, then exactly 10 orders win and stock ends at 0', async () => {
    const pizza = uid('scarce');
    await addItems(stack.db, menuItem(pizza, 10));

    const replies = await Promise.all(Array.from({ length: 200 }, () => post(orderRequest([pizza, 1]))));

    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(190);
    expect(await stockOf(stack.db, pizza)).toBe(0);
    expect(await stack.db.collection('orders').countDocuments({ 'items.item_id': pizza })).toBe(10);
    const lost = replies.find((r) => r.status === 409)!;
    expect(lost.body.error).toEqual({
      code: 'out_of_stock',
      message: expect.any(String),
      details: { items: [{ item_id: pizza, requested: 1, available: 0 }] },
    });
  }, 120_000);

  test('when the second line of two is short, then 409 names it and the first line keeps its stock', async () => {
    const [plenty, short] = [uid('plenty'), uid('short')];
    await addItems(stack.db, menuItem(plenty, 10), menuItem(short, 2));

    const res = await post(orderRequest([plenty, 3], [short, 5]));

    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('out_of_stock');
    expect(res.body.error.details).toEqual({ items: [{ item_id: short, requested: 5, available: 2 }] });
    expect([await stockOf(stack.db, plenty), await stockOf(stack.db, short)]).toEqual([10, 2]);
    expect(await stack.db.collection('orders').countDocuments({ 'items.item_id': plenty })).toBe(0);
  });
});
