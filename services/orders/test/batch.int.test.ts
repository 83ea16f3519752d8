import type { MongoClient } from 'mongodb';
import {
  createLogger,
  newEvent,
  ORDER_LIFECYCLE,
  type BatchEntry,
  type Envelope,
  type HandlerContext,
  type SimulatedOrderStatus,
} from '@pizza/shared';
import { commandsDuring, countingClient, unrelayedOutbox, upTo } from '@pizza/shared/testing';
import { ordersContext } from '../src/application/context';
import { orderHandlers } from '../src/handlers';
import { orderMetrics } from '../src/metrics';
import type { Order } from '../src/domain/order';
import { call, orderRequest, type OrderBody } from './support/http';
import { addItems, menuItem, uid, useStack } from './support/stack';

const stack = useStack();
const logger = createLogger({ service: 'test', level: 'silent' });
let client: MongoClient;

beforeAll(async () => {
  client = await countingClient(stack.mongoUrl);
});
afterAll(() => client.close(), 30_000);

/** The order consumer's batch handler, on a client whose commands are counted. */
function batchHandler() {
  const db = client.db(stack.mongoDb);
  const { outbox } = unrelayedOutbox(db);
  const ctx = ordersContext({
    mongo: { client, db },
    outbox,
    metrics: orderMetrics(),
    clock: () => new Date(),
    source: 'orders',
  });
  return orderHandlers(ctx).batchHandler;
}

const entriesOf = (events: Envelope[]): BatchEntry[] =>
  events.map((event) => ({ event, ctx: { attempt: 1, logger } as HandlerContext }));

const simulated = (orderId: string, status: SimulatedOrderStatus) =>
  newEvent(
    'order.status_simulated',
    { order_id: orderId, status },
    { source: 'simulator', correlationId: orderId },
  );

async function placeOrders(n: number): Promise<string[]> {
  const pizza = uid('pizza');
  await addItems(stack.db, menuItem(pizza, 10 * n));
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await call<OrderBody>(stack.url, 'POST', '/api/v1/orders', {
      json: orderRequest([pizza, 1]),
    });
    expect(res.status).toBe(201);
    ids.push(res.body.id);
  }
  return ids;
}

const ordersNow = (ids: string[]) =>
  stack.db
    .collection<Order>('orders')
    .find({ _id: { $in: ids } }, { sort: { _id: 1 } })
    .toArray();
const outboxCount = () => unrelayedOutbox(stack.db).count();
/** The simulator's first two steps: one order takes both in a batch, the second seeing the first. */
const [first, second] = ORDER_LIFECYCLE.simulated;

describe('one read of status events', () => {
  test('is applied in one transaction: one query, one bulk write, one outbox insert, one commit', async () => {
    const [a, b, c] = await placeOrders(3);
    // Two steps of one order among the others: the second sees the first.
    const events = [simulated(a!, first), simulated(b!, first), simulated(a!, second), simulated(c!, first)];
    const apply = batchHandler();
    const commands = await commandsDuring(client, () => apply(entriesOf(events)));

    expect(commands).toEqual(['find', 'update', 'insert', 'commitTransaction']);
    const byId = new Map((await ordersNow([a!, b!, c!])).map((o) => [o._id, o]));
    expect(byId.get(a!)!.timeline.map((t) => t.status)).toEqual(upTo(ORDER_LIFECYCLE.happyPath, second));
    expect(byId.get(b!)!.status).toBe(first);
    expect(byId.get(c!)!.status).toBe(first);
    // status_changed and the next simulate request for each of the four steps.
    expect(await outboxCount()).toBe(8);
  });

  test('applied again (redelivered or republished, same event ids) applies nothing and writes nothing', async () => {
    const [a, b] = await placeOrders(2);
    const events = [simulated(a!, first), simulated(b!, first), simulated(a!, second)];
    const apply = batchHandler();
    await apply(entriesOf(events));
    const [before, outboxBefore] = [await ordersNow([a!, b!]), await outboxCount()];

    const again = await commandsDuring(client, () => apply(entriesOf(events)));
    // One at a time too, as the per-entry fallback would.
    for (const event of events) await apply(entriesOf([event]));

    expect(await ordersNow([a!, b!])).toEqual(before);
    expect(await outboxCount()).toBe(outboxBefore);
    // Read, refused by the orders' own guard, nothing written.
    expect(again).toEqual(['find', 'commitTransaction']);
  });

  test('an event about an unknown order fails the whole batch, and nothing of it is applied', async () => {
    const [a] = await placeOrders(1);
    const outboxBefore = await outboxCount();
    const apply = batchHandler();
    await expect(
      apply(entriesOf([simulated(a!, 'confirmed'), simulated('no-such-order', 'confirmed')])),
    ).rejects.toThrow(/unknown order/);
    expect((await ordersNow([a!]))[0]!.status).toBe('created');
    expect(await outboxCount()).toBe(outboxBefore);
  });
});
