import { randomUUID } from 'node:crypto';
import { STREAMS } from '@pizza/shared/contract';
import { waitFor, metricValue } from '@pizza/shared/testing';
import { keyId } from '../src/domain/idempotency';
import { call, orderRequest, type ErrorReply, type OrderBody } from './support/http';
import { addItems, eventsOn, menuItem, stockOf, uid, useStack } from './support/stack';
import { collections } from '../src/store/collections';

const stack = useStack();
const post = (body: unknown, key: string) =>
  call<OrderBody & ErrorReply>(stack.url, 'POST', '/api/v1/orders', {
    json: body,
    headers: { 'Idempotency-Key': key },
  });

describe('Idempotency-Key', () => {
  test('when a request is replayed with its key, then the same order and token come back and stock is taken once', async () => {
    const pizza = uid('pizza');
    await addItems(stack.db, menuItem(pizza, 10));
    const key = randomUUID();

    const first = await post(orderRequest([pizza, 2]), key);
    const again = await post(
      { customer: orderRequest().customer, items: [{ quantity: 2, item_id: pizza }] },
      key,
    );

    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.tracking_token).toBe(first.body.tracking_token);
    expect(await stockOf(stack.db, pizza)).toBe(8);
    const record = await stack.db.collection('idempotency_keys').findOne({});
    // Without a record the checks below would pass on the string "null".
    expect(record).not.toBeNull();
    expect(JSON.stringify(record)).not.toContain(key);
    expect(JSON.stringify(record)).not.toContain(first.body.tracking_token);
  });

  test('when 20 requests with one key arrive at once, then one order is made and all of them get it', async () => {
    const pizza = uid('pizza');
    await addItems(stack.db, menuItem(pizza, 100));
    const key = randomUUID();

    const replies = await Promise.all(Array.from({ length: 20 }, () => post(orderRequest([pizza, 3]), key)));

    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    expect(new Set(replies.map((r) => r.body.tracking_token)).size).toBe(1);
    expect(await stockOf(stack.db, pizza)).toBe(97);
    const orderId = replies[0]!.body.id;
    await waitFor(async () => (await eventsOn(stack.redis, STREAMS.orders, orderId)).length === 1);
    expect(await stack.db.collection('orders').countDocuments({ 'items.item_id': pizza })).toBe(1);
  }, 60_000);

  test('when a key is reused with another body, then 422 and nothing is taken', async () => {
    const pizza = uid('pizza');
    await addItems(stack.db, menuItem(pizza, 10));
    const key = randomUUID();
    const before = await metricValue(stack.url, 'orders_rejected_total', { reason: 'idempotency_reuse' });

    expect((await post(orderRequest([pizza, 1]), key)).status).toBe(201);
    const reused = await post(orderRequest([pizza, 2]), key);

    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    expect(await stockOf(stack.db, pizza)).toBe(9);
    expect(await metricValue(stack.url, 'orders_rejected_total', { reason: 'idempotency_reuse' })).toBe(
      before + 1,
    );
  });

  test('a request that failed leaves no record: the key can be used again once stock is back', async () => {
    const pizza = uid('pizza');
    await addItems(stack.db, menuItem(pizza, 1));
    const key = randomUUID();
    expect((await post(orderRequest([pizza, 2]), key)).status).toBe(409);
    await collections(stack.db).menu.updateOne({ _id: pizza }, { $set: { stock: 5 } });
    expect((await post(orderRequest([pizza, 2]), key)).status).toBe(201);
  });

  test('when a key is older than 24 hours but not yet removed, then it makes a new order, whatever the body', async () => {
    const pizza = uid('pizza');
    await addItems(stack.db, menuItem(pizza, 10));
    const key = randomUUID();
    const oldOrderId = randomUUID();
    await stack.db.collection('idempotency_keys').insertOne({
      _id: keyId(key) as never,
      request_hash: 'another body',
      order_id: oldOrderId,
      sealed_token: 'sealed',
      created_at: new Date(Date.now() - 25 * 3600 * 1000),
    });

    const res = await post(orderRequest([pizza, 2]), key);

    expect(res.status).toBe(201);
    expect(res.body.id).not.toBe(oldOrderId);
    expect(await stockOf(stack.db, pizza)).toBe(8);
    const record = await collections(stack.db).idempotency.findOne({ _id: keyId(key) });
    expect(record?.order_id).toBe(res.body.id);
    const again = await post(orderRequest([pizza, 2]), key);
    expect([again.status, again.body.id]).toEqual([201, res.body.id]);
    expect(await stockOf(stack.db, pizza)).toBe(8);
  });

  test('keys expire after 24 hours through a TTL index', async () => {
    const indexes = await stack.db.collection('idempotency_keys').indexes();
    expect(indexes.find((i) => i.key.created_at === 1)?.expireAfterSeconds).toBe(86_400);
  });

  test('an unusable key is a validation error', async () => {
    const res = await post(orderRequest(['x', 1]), 'x'.repeat(300));
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'Idempotency-Key', message: expect.any(String) }]);
  });
});
