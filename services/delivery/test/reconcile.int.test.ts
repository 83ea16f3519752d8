import { randomUUID } from 'node:crypto';
import { STREAMS } from '@pizza/shared';
import { metricValue, waitFor } from '@pizza/shared/testing';
import { DELIVERY_COLLECTIONS, type DeliveryDoc } from '../src/store/deliveries';
import {
  eventsOn,
  orderCreated,
  outForDelivery,
  publish,
  statusSimulated,
  useDeliveryHarness,
} from './harness';

/** The delivery service's side of re-drives, on a real Redis and MongoDB. */
jest.setTimeout(60_000);
const h = useDeliveryHarness();
const oid = () => `o-${randomUUID()}`;
const deliveryOf = (orderId: string) =>
  h.db.collection<DeliveryDoc>(DELIVERY_COLLECTIONS.deliveries).findOne({ order_id: orderId });

test('an order re-driven out for delivery is answered with the delivery events it may have missed', async () => {
  await h.service();
  const orderId = oid();
  await publish(h.redis, orderCreated(orderId), outForDelivery(orderId));
  const deliveryId = (await waitFor(() => deliveryOf(orderId), { what: 'delivery' }))._id;
  await publish(h.redis, statusSimulated(deliveryId, orderId, 'on_the_way'));
  await waitFor(async () => (await deliveryOf(orderId))?.status === 'on_the_way', { what: 'on_the_way' });

  const redriven = outForDelivery(orderId, { redrive: true });
  await publish(h.redis, redriven);
  const answer = await waitFor(
    async () => {
      const events = [
        ...(await eventsOn(h.redis, STREAMS.deliveries, 'delivery.created', orderId)),
        ...(await eventsOn(h.redis, STREAMS.deliveries, 'delivery.status_changed', orderId)),
      ].filter((e) => e.causation_id === redriven.event_id);
      return events.length === 2 ? events : undefined;
    },
    { what: 'the delivery history again' },
  );
  expect(answer.map((e) => [e.event_type, e.payload.delivery_id, e.payload.status])).toEqual([
    ['delivery.created', deliveryId, 'waiting'],
    ['delivery.status_changed', deliveryId, 'on_the_way'],
  ]);
  expect(await h.db.collection(DELIVERY_COLLECTIONS.deliveries).countDocuments({ order_id: orderId })).toBe(
    1,
  );
});

test('a delivery that makes no progress within the stall bound is re-driven: its next step is asked for again', async () => {
  const { port } = await h.service({ RECONCILE_STALL_MS: '300', RECONCILE_INTERVAL_MS: '50' });
  // The counter is the process's, shared with the other tests of the file: counted from where it stands now.
  const redriven = () =>
    metricValue(`http://127.0.0.1:${port}`, 'reconcile_redriven_total', {
      service: 'delivery',
      step: 'on_the_way',
    });
  const before = await redriven();
  const orderId = oid();
  await publish(h.redis, orderCreated(orderId), outForDelivery(orderId));
  const requests = await waitFor(
    async () => {
      const asks = await eventsOn(h.redis, STREAMS.simulateDelivery, 'delivery.simulate', orderId);
      return asks.some((e) => e.payload.redrive) ? asks.filter((e) => e.payload.redrive) : undefined;
    },
    { what: 're-driven request' },
  );
  expect(requests[0]!.payload).toMatchObject({ order_id: orderId, next_status: 'on_the_way', redrive: true });
  // Each re-drive asked for is counted (just after its pass, so the count may trail the request a moment).
  await waitFor(async () => (await redriven()) >= before + requests.length, {
    what: 'the re-drives counted',
  });
  expect(await deliveryOf(orderId)).toMatchObject({ status: 'waiting', redriven_at: expect.any(Date) });
});
