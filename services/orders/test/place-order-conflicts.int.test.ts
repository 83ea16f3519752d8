import { MongoClient } from 'mongodb';
import { waitFor } from '@pizza/shared/testing';
import { call, orderRequest, type OrderBody } from './support/http';
import { addItems, menuItem, stockOf, uid, useStack } from './support/stack';

const stack = useStack();

async function retries(): Promise<number> {
  const text = (await call<string>(stack.url, 'GET', '/metrics')).body;
  return Number(/^orders_place_retries_total (\d+)/m.exec(text)?.[1] ?? 0);
}

test('when another writer holds the stock, the order retries the write conflict with backoff, then wins; stock stays exact', async () => {
  const pizza = uid('contended');
  await addItems(stack.db, menuItem(pizza, 5));
  const client = await MongoClient.connect(stack.mongoUrl);
  const blocker = client.startSession();
  try {
    // Another replica's transaction, mid-flight on the same stock document.
    blocker.startTransaction();
    await client
      .db(stack.mongoDb)
      .collection<{ _id: string }>('menu')
      .updateOne({ _id: pizza }, { $set: { touched_by: 'blocker' } }, { session: blocker });
    const before = await retries();

    const placing = call<OrderBody>(stack.url, 'POST', '/api/v1/orders', { json: orderRequest([pizza, 2]) });
    await waitFor(async () => (await retries()) >= before + 2, { what: 'repeated write-conflict retries' });
    await blocker.commitTransaction();
    const res = await placing;

    expect(res.status).toBe(201);
    expect(await stockOf(stack.db, pizza)).toBe(3);
    expect(await stack.db.collection('orders').countDocuments({ 'items.item_id': pizza })).toBe(1);
  } finally {
    await blocker.endSession();
    await client.close();
  }
}, 60_000);
