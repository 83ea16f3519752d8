import { randomUUID } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { resolveMongo, type MongoInstance } from '@pizza/stack';
import { createLogger, ORDER_LIFECYCLE, Outbox, OUTBOX_COLLECTION, type StreamFields } from '@pizza/shared';
import { movesTo } from '@pizza/shared/testing';
import { ordersContext, type OrdersContext } from '../src/application/context';
import { reconcileOrders } from '../src/application/reconcile-orders';
import { evolveAll, initialState, type Order, type OrderEvent } from '../src/domain/order';
import { orderMetrics } from '../src/metrics';
import { collections } from '../src/store/collections';
import { stalledOrders } from '../src/store/stalled-orders';

/**
 * The order reconciler's use case against a real MongoDB: which orders it picks, that several replicas
 * passing at once re-drive each one once, and what it writes to the outbox (not relayed here, so read back).
 */
let mongo: MongoInstance;
let client: MongoClient;
let db: Db;
const STALL_MS = 10_000;
const t0 = new Date('2030-01-01T12:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

beforeAll(async () => {
  mongo = await resolveMongo();
  client = await MongoClient.connect(mongo.url);
}, 120_000);
beforeEach(async () => {
  db = client.db(`reconcile_test_${randomUUID().replace(/-/g, '')}`);
  await stalledOrders(db).ensureIndex();
});
afterEach(() => db.dropDatabase());
afterAll(async () => {
  await client.close();
  await mongo.stop();
});

function contextAt(now: Date): OrdersContext {
  const logger = createLogger({ service: 'test', level: 'silent' });
  const outbox = new Outbox({
    db,
    bus: { publishRaw: () => Promise.reject(new Error('not relayed')) },
    logger,
    name: 'orders',
  });
  return ordersContext({
    mongo: { client, db },
    outbox,
    metrics: orderMetrics(),
    clock: () => now,
    source: 'orders',
  });
}

/** An order that went along its happy path up to `status`, a step a second from t0 + `startMs`. */
async function orderAt(startMs: number, status: (typeof ORDER_LIFECYCLE.happyPath)[number] = 'created') {
  const id = randomUUID();
  const created: OrderEvent = {
    type: 'order.created',
    data: {
      order_id: id,
      status: 'created',
      items: [{ item_id: 'margherita', name: 'Margherita', quantity: 1, unit_price: 900 }],
      total: 900,
      customer: { name: 'Ada', address: '1 Loop Lane' },
      token_hash: 'a'.repeat(64),
      created_at: at(startMs).toISOString(),
    },
  };
  const changes = movesTo(ORDER_LIFECYCLE.happyPath, status).map(([from, to], i): OrderEvent => ({
    type: 'order.status_changed',
    data: { order_id: id, from, status: to, at: at(startMs + (i + 1) * 1000).toISOString() },
  }));
  const order = evolveAll(initialState(), [created, ...changes]) as Order;
  await collections(db).orders.insertOne(order);
  return order;
}

async function outboxEvents(): Promise<{ type: string; payload: Record<string, unknown> }[]> {
  const entries = await db
    .collection<{ fields: StreamFields }>(OUTBOX_COLLECTION)
    .find({}, { sort: { _id: 1 } })
    .toArray();
  return entries.map(({ fields }) => ({
    type: fields.event_type!,
    payload: JSON.parse(fields.payload!) as Record<string, unknown>,
  }));
}

test('replicas passing at once re-drive each stalled unfinished order once, with its history and its next step', async () => {
  const stalled = await orderAt(0, 'confirmed');
  const fresh = await orderAt(STALL_MS, 'confirmed');
  await orderAt(0, 'delivered');
  const now = at(STALL_MS + 1_000);

  const passes = await Promise.all(
    [1, 2, 3].map(() => reconcileOrders(contextAt(now), { stallMs: STALL_MS, batchSize: 10 })),
  );

  expect(passes.flat()).toEqual([{ id: stalled._id, step: 'preparing', stalledMs: 10_000 }]);
  expect(await outboxEvents()).toEqual([
    { type: 'order.created', payload: expect.objectContaining({ order_id: stalled._id, status: 'created' }) },
    {
      type: 'order.status_changed',
      payload: expect.objectContaining({ from: 'created', status: 'confirmed' }),
    },
    { type: 'order.simulate', payload: { order_id: stalled._id, next_status: 'preparing', redrive: true } },
  ]);
  const first = await db.collection<{ fields: StreamFields }>(OUTBOX_COLLECTION).findOne({});
  expect(first?.fields).toMatchObject({ correlation_id: stalled._id, causation_id: '', source: 'orders' });
  expect(await collections(db).orders.findOne({ _id: fresh._id })).not.toHaveProperty('redriven_at');
});

test('an order is re-driven again only after another stall bound, and the bound restarts when it moves', async () => {
  const order = await orderAt(0);
  const pass = (ms: number) => reconcileOrders(contextAt(at(ms)), { stallMs: STALL_MS, batchSize: 10 });
  expect(await pass(STALL_MS)).toHaveLength(1);
  expect(await pass(STALL_MS + 5_000)).toEqual([]);
  expect(await pass(2 * STALL_MS)).toEqual([{ id: order._id, step: 'confirmed', stalledMs: 2 * STALL_MS }]);
  // It moves on (as the use cases save it: the whole order, the mark carried along).
  const moved = {
    ...(await collections(db).orders.findOne({ _id: order._id }))!,
    status: 'confirmed' as const,
    updated_at: at(25_000),
  };
  await collections(db).orders.replaceOne({ _id: order._id }, moved);
  expect(await pass(3 * STALL_MS)).toEqual([]);
  expect(await pass(25_000 + STALL_MS)).toEqual([{ id: order._id, step: 'preparing', stalledMs: STALL_MS }]);
});

test('a pass re-drives at most its batch, oldest change first', async () => {
  const orders = [await orderAt(3_000), await orderAt(1_000), await orderAt(2_000)];
  const redriven = await reconcileOrders(contextAt(at(60_000)), { stallMs: STALL_MS, batchSize: 2 });
  expect(redriven.map((r) => r.id)).toEqual([orders[1]!._id, orders[2]!._id]);
});
