import { randomUUID } from 'node:crypto';
import type { MongoClient } from 'mongodb';
import { createLogger, newEvent, type BatchEntry, type Envelope, type HandlerContext } from '@pizza/shared';
import { commandsDuring, countingClient, unrelayedOutbox } from '@pizza/shared/testing';
import { deliveryHandlers } from '../src/handlers';
import { deliveryMetrics } from '../src/metrics';
import { DELIVERY_COLLECTIONS, deliveryStore, type DeliveryDoc } from '../src/store/deliveries';
import { orderCreated, outForDelivery, statusSimulated, useDeliveryHarness } from './harness';

const h = useDeliveryHarness();
const logger = createLogger({ service: 'test', level: 'silent' });
let client: MongoClient;

beforeAll(async () => {
  client = await countingClient(h.mongo.url);
  await deliveryStore(client.db(h.mongo.db)).ensureIndexes();
});
afterAll(() => client.close(), 30_000);

/** The delivery consumer's batch handler, on a client whose commands are counted. */
function batchHandler() {
  const db = client.db(h.mongo.db);
  const { outbox } = unrelayedOutbox(db);
  const ctx = {
    mongo: { client, db },
    store: deliveryStore(db),
    outbox,
    metrics: deliveryMetrics(),
    clock: () => new Date(),
  };
  return deliveryHandlers(ctx).batchHandler;
}

const entriesOf = (events: Envelope[]): BatchEntry[] =>
  events.map((event) => ({ event, ctx: { attempt: 1, logger } as HandlerContext }));
const oid = () => `o-${randomUUID()}`;
const confirmed = (orderId: string) =>
  newEvent(
    'order.status_changed',
    { order_id: orderId, from: 'created', status: 'confirmed', at: new Date().toISOString() },
    { source: 'orders' },
  );
const deliveriesOf = (orderIds: string[]) =>
  h.db
    .collection<DeliveryDoc>(DELIVERY_COLLECTIONS.deliveries)
    .find({ order_id: { $in: orderIds } }, { sort: { _id: 1 } })
    .toArray();
const outboxCount = () => unrelayedOutbox(h.db).count();

describe('one read of delivery events', () => {
  test('is applied in one transaction: addresses, starts and steps, with one write per collection', async () => {
    const [a, b] = [oid(), oid()];
    const apply = batchHandler();
    const starts = [orderCreated(a), confirmed(a), orderCreated(b), outForDelivery(a), outForDelivery(b)];
    const first = await commandsDuring(client, () => apply(entriesOf(starts)));
    // Deliveries and addresses read once each; addresses, deliveries and outbox written once each.
    expect(first).toEqual(['find', 'find', 'update', 'insert', 'insert', 'commitTransaction']);
    const started = await deliveriesOf([a, b]);
    expect(started.map((d) => d.status)).toEqual(['waiting', 'waiting']);

    const steps = started.map((d) => statusSimulated(d._id, d.order_id, 'on_the_way'));
    const second = await commandsDuring(client, () => apply(entriesOf(steps)));
    expect(second).toEqual(['find', 'update', 'insert', 'commitTransaction']);
    expect((await deliveriesOf([a, b])).map((d) => d.status)).toEqual(['on_the_way', 'on_the_way']);
    // delivery.created + simulate for each start, status_changed + simulate for each step.
    expect(await outboxCount()).toBe(8);
  });

  test('applied again (redelivered or republished, same event ids) applies nothing', async () => {
    const [a, b] = [oid(), oid()];
    const apply = batchHandler();
    const starts = [orderCreated(a), orderCreated(b), outForDelivery(a), outForDelivery(b)];
    await apply(entriesOf(starts));
    const steps = (await deliveriesOf([a, b])).map((d) => statusSimulated(d._id, d.order_id, 'on_the_way'));
    await apply(entriesOf(steps));
    const [before, outboxBefore] = [await deliveriesOf([a, b]), await outboxCount()];

    await apply(entriesOf([...starts, ...steps]));
    // One at a time too, as the per-entry fallback would.
    for (const event of [...starts, ...steps]) await apply(entriesOf([event]));

    expect(await deliveriesOf([a, b])).toEqual(before);
    expect(await outboxCount()).toBe(outboxBefore);
  });

  test('a step for a delivery that does not exist fails the whole batch, and nothing of it is applied', async () => {
    const a = oid();
    const outboxBefore = await outboxCount();
    const apply = batchHandler();
    const events = [orderCreated(a), outForDelivery(a), statusSimulated('no-such-delivery', a, 'on_the_way')];
    await expect(apply(entriesOf(events))).rejects.toThrow(/no delivery/);
    expect(await deliveriesOf([a])).toEqual([]);
    expect(await outboxCount()).toBe(outboxBefore);
  });
});
