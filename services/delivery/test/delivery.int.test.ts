import { randomUUID } from 'node:crypto';
import { DELIVERY_LIFECYCLE, STREAMS } from '@pizza/shared';
import { movesTo, waitFor } from '@pizza/shared/testing';
import { DELIVERY_COLLECTIONS, type DeliveryDoc } from '../src/store/deliveries';
import {
  eventsOn,
  orderCreated,
  outForDelivery,
  publish,
  statusSimulated,
  useDeliveryHarness,
} from './harness';

jest.setTimeout(60_000);
const h = useDeliveryHarness();

const deliveriesOf = (orderId: string) =>
  h.db.collection<DeliveryDoc>(DELIVERY_COLLECTIONS.deliveries).find({ order_id: orderId }).toArray();
const pendingIn = async (stream: string) =>
  Number(((await h.redis.xpending(stream, 'delivery-group')) as [number])[0]);
const oid = () => `o-${randomUUID()}`;

test('the service reports ready when MongoDB and Redis answer', async () => {
  const { port } = await h.service();
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ checks: { mongodb: { status: 'up' }, redis: { status: 'up' } } });
  expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toMatch(
    /^deliveries_created_total/m,
  );
});

test('remembered addresses expire through a TTL index, a week later', async () => {
  await h.service();
  const indexes = await h.db.collection(DELIVERY_COLLECTIONS.addresses).indexes();
  expect(indexes.find((i) => i.key.at === 1)?.expireAfterSeconds).toBe(7 * 24 * 3600);
});

test('when an order goes out for delivery, then one waiting delivery is created and announced', async () => {
  await h.service();
  const orderId = oid();
  const cause = outForDelivery(orderId);
  await publish(h.redis, orderCreated(orderId, '7 Elm Road'), cause);

  const [created] = await waitFor(
    () =>
      eventsOn(h.redis, STREAMS.deliveries, 'delivery.created', orderId).then((e) =>
        e.length ? e : undefined,
      ),
    {
      what: 'delivery.created',
    },
  );
  const [simulate] = await waitFor(
    () =>
      eventsOn(h.redis, STREAMS.simulateDelivery, 'delivery.simulate', orderId).then((e) =>
        e.length ? e : undefined,
      ),
    {
      what: 'delivery.simulate',
    },
  );
  expect(created!.payload).toMatchObject({ order_id: orderId, status: 'waiting', address: '7 Elm Road' });
  expect(simulate!.payload).toEqual({
    delivery_id: created!.payload.delivery_id,
    order_id: orderId,
    next_status: 'on_the_way',
  });
  for (const event of [created!, simulate!]) {
    expect(event.correlation_id).toBe(cause.correlation_id);
    expect(event.causation_id).toBe(cause.event_id);
  }
  const [doc] = await deliveriesOf(orderId);
  expect(doc).toMatchObject({ _id: created!.payload.delivery_id, status: 'waiting', address: '7 Elm Road' });
});

test('whatever the redelivery, an order gets one delivery', async () => {
  // The test publishes the repeats itself. With the harness's 200 ms claim idle, a loaded machine can hold a
  // batch past it, and a claim would hand the re-drive to the other replica as well: its reply would then go
  // out twice (a repeat every consumer absorbs, but not the count this test makes).
  const noClaims = { STREAM_CLAIM_IDLE_MS: '30000' };
  await Promise.all([h.service(noClaims), h.service(noClaims)]);
  const orders = Array.from({ length: 10 }, oid);
  await publish(h.redis, ...orders.map((id) => orderCreated(id)));
  // The same event three times and a re-drive of it (a distinct event), to two replicas at once.
  const events = orders.flatMap((id) => {
    const event = outForDelivery(id);
    return [event, event, outForDelivery(id, { redrive: true }), event];
  });
  await publish(h.redis, ...events);
  await waitFor(
    async () => (await pendingIn(STREAMS.orders)) === 0 && (await h.redis.xlen(STREAMS.orders)) === 50,
    { what: 'all handled' },
  );
  // Per order, one of its two distinct events starts the delivery, the other (a re-drive) replays it.
  await waitFor(
    async () =>
      (await eventsOn(h.redis, STREAMS.deliveries, 'delivery.created')).length === 2 * orders.length &&
      (await h.db.collection(DELIVERY_COLLECTIONS.outbox).countDocuments()) === 0,
    { what: 'published' },
  );
  for (const id of orders) expect(await deliveriesOf(id)).toHaveLength(1);
  // The distinct event (a re-drive) is answered with the delivery's events again: one delivery id per order.
  const announced = await eventsOn(h.redis, STREAMS.deliveries, 'delivery.created');
  expect(new Set(announced.map((e) => e.payload.delivery_id)).size).toBe(orders.length);
  // Replies to a re-drive are written after the start's transaction: the outbox drains once they are out.
  await waitFor(async () => (await h.db.collection(DELIVERY_COLLECTIONS.outbox).countDocuments()) === 0, {
    what: 'the outbox to drain',
  });
});

test('an out_for_delivery read before its order.created is retried until the address is known', async () => {
  await h.service();
  const orderId = oid();
  await publish(h.redis, outForDelivery(orderId));
  await waitFor(async () => (await pendingIn(STREAMS.orders)) === 1, { what: 'left pending' });
  await publish(h.redis, orderCreated(orderId, '9 Late Lane'));
  const [created] = await waitFor(
    () =>
      eventsOn(h.redis, STREAMS.deliveries, 'delivery.created', orderId).then((e) =>
        e.length ? e : undefined,
      ),
    {
      what: 'delivery.created after the retry',
    },
  );
  expect(created!.payload.address).toBe('9 Late Lane');
});

test('reported statuses move the delivery waiting → on_the_way → delivered, and nothing else applies', async () => {
  await h.service();
  const orderId = oid();
  await publish(h.redis, orderCreated(orderId), outForDelivery(orderId));
  const deliveryId = (await waitFor(() => deliveriesOf(orderId).then((d) => d[0]), { what: 'delivery' }))._id;
  const changes = () => eventsOn(h.redis, STREAMS.deliveries, 'delivery.status_changed', orderId);

  const onTheWay = statusSimulated(deliveryId, orderId, 'on_the_way');
  await publish(h.redis, statusSimulated(deliveryId, orderId, 'delivered'), onTheWay, onTheWay);
  await waitFor(async () => (await changes()).length === 1, { what: 'on_the_way' });
  const [next] = await waitFor(
    () =>
      eventsOn(h.redis, STREAMS.simulateDelivery, 'delivery.simulate', orderId).then((e) =>
        e.length === 2 ? e.slice(1) : undefined,
      ),
    { what: 'next simulate' },
  );
  expect(next!.payload.next_status).toBe('delivered');
  expect(next!.causation_id).toBe(onTheWay.event_id);

  await publish(
    h.redis,
    statusSimulated(deliveryId, orderId, 'delivered'),
    statusSimulated(deliveryId, orderId, 'on_the_way'),
  );
  await waitFor(
    async () => (await pendingIn(STREAMS.deliveryStatus)) === 0 && (await changes()).length === 2,
    { what: 'delivered' },
  );
  await waitFor(
    async () =>
      (await h.redis.xlen(STREAMS.deliveryStatus)) === 5 && (await pendingIn(STREAMS.deliveryStatus)) === 0,
    {
      what: 'all reports handled',
    },
  );
  expect((await changes()).map((e) => [e.payload.from, e.payload.status])).toEqual(
    movesTo(DELIVERY_LIFECYCLE.happyPath),
  );
  expect((await deliveriesOf(orderId))[0]).toMatchObject({ status: 'delivered' });
  expect(await eventsOn(h.redis, STREAMS.simulateDelivery, 'delivery.simulate', orderId)).toHaveLength(2);
});

test('a status report for a delivery that does not exist is dead-lettered at once', async () => {
  await h.service();
  const [id] = await publish(h.redis, statusSimulated(`d-${randomUUID()}`, oid(), 'on_the_way'));
  await waitFor(
    async () => (await h.redis.xrange(STREAMS.deadLetters, '-', '+')).some(([, f]) => f.includes(id!)),
    { what: 'dead letter' },
  );
});
