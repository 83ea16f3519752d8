import { randomUUID } from 'node:crypto';
import { STREAMS, type RunningService } from '@pizza/shared';
import { metricValue, waitFor } from '@pizza/shared/testing';
import { start } from '../src/main';
import { TIMER_KEYS } from '../src/store/timer-store';
import {
  deliverySimulate,
  eventsOn,
  orderCancelled,
  orderSimulate,
  publish,
  simulatorEnv,
  useRedis,
} from './helpers';

jest.setTimeout(60_000);
const redis = useRedis();

async function simulator(delays: [number, number]): Promise<RunningService> {
  return redis.stopAfterTest(await start(simulatorEnv(redis.url, delays)));
}

const statuses = () => eventsOn(redis.client, STREAMS.orderStatus, 'order.status_simulated');

test('an order.simulate fires once, as a child of the request, with the firing time', async () => {
  await simulator([0, 20]);
  const request = orderSimulate(`o-${randomUUID()}`, 'preparing');
  await publish(redis.client, request);

  const [fired] = await waitFor(async () => ((await statuses()).length === 1 ? statuses() : undefined), {
    what: 'status event',
  });
  expect(fired!.payload).toEqual({ order_id: request.payload.order_id, status: 'preparing' });
  expect(fired!.correlation_id).toBe(request.correlation_id);
  expect(fired!.causation_id).toBe(request.event_id);
  expect(fired!.source).toBe('simulator');
  expect(Math.abs(Date.parse(fired!.timestamp) - Date.now())).toBeLessThan(5_000);
  await waitFor(async () => (await redis.client.zcard(TIMER_KEYS.due)) === 0, { what: 'timer gone' });
});

test('a delivery.simulate fires a delivery.status_simulated on its own stream', async () => {
  await simulator([0, 5]);
  const request = deliverySimulate(`d-${randomUUID()}`, `o-${randomUUID()}`, 'on_the_way');
  await publish(redis.client, request);
  const fired = await waitFor(
    async () => (await eventsOn(redis.client, STREAMS.deliveryStatus, 'delivery.status_simulated'))[0],
    {
      what: 'delivery status event',
    },
  );
  expect(fired.payload).toEqual({
    delivery_id: request.payload.delivery_id,
    order_id: request.payload.order_id,
    status: 'on_the_way',
  });
  expect(fired.causation_id).toBe(request.event_id);
});

test('when one step is requested three times (redelivery, republish), then it fires once', async () => {
  await simulator([0, 5]);
  const orderId = `o-${randomUUID()}`;
  const request = orderSimulate(orderId);
  await publish(redis.client, request, orderSimulate(orderId), request);
  const marker = orderSimulate(`marker-${randomUUID()}`);
  await waitFor(async () => (await statuses()).length >= 1, { what: 'first firing' });
  // Asked again after it fired: still nothing new. The marker proves the late request was processed.
  await publish(redis.client, orderSimulate(orderId), marker);
  await waitFor(async () => (await statuses()).some((e) => e.payload.order_id === marker.payload.order_id), {
    what: 'marker',
  });
  expect((await statuses()).filter((e) => e.payload.order_id === orderId)).toHaveLength(1);
});

test('two replicas never fire one timer twice', async () => {
  await Promise.all([simulator([0, 10]), simulator([0, 10])]);
  const orders = Array.from({ length: 200 }, () => `o-${randomUUID()}`);
  await publish(redis.client, ...orders.map((id) => orderSimulate(id)));
  await waitFor(async () => (await statuses()).length >= orders.length, {
    timeoutMs: 20_000,
    what: 'all fired',
  });
  await waitFor(async () => (await redis.client.zcard(TIMER_KEYS.due)) === 0, { what: 'none pending' });
  const fired = (await statuses()).map((e) => e.payload.order_id);
  expect(fired).toHaveLength(orders.length);
  expect(new Set(fired)).toEqual(new Set(orders));
});

test('when an order is cancelled, then its pending step never fires and a late request is refused', async () => {
  await simulator([400, 400]);
  const cancelled = `o-${randomUUID()}`;
  await publish(redis.client, orderSimulate(cancelled));
  await waitFor(async () => (await redis.client.zcard(TIMER_KEYS.due)) === 1, { what: 'timer scheduled' });
  await publish(redis.client, orderCancelled(cancelled));
  await waitFor(async () => (await redis.client.zcard(TIMER_KEYS.due)) === 0, { what: 'timer removed' });

  // A request that arrives after the cancellation, then a control order: once the control has fired,
  // the late request has certainly been seen (same stream, earlier entry).
  const control = `o-${randomUUID()}`;
  await publish(redis.client, orderSimulate(cancelled, 'preparing'), orderSimulate(control));
  await waitFor(async () => (await statuses()).some((e) => e.payload.order_id === control), {
    what: 'control fired',
  });
  expect((await statuses()).filter((e) => e.payload.order_id === cancelled)).toEqual([]);
});

test('metrics count scheduled and fired timers and show the pending gauge', async () => {
  const service = await simulator([0, 0]);
  const base = `http://127.0.0.1:${service.port}`;
  const [scheduled, fired] = [
    await metricValue(base, 'simulator_timers_scheduled_total'),
    await metricValue(base, 'simulator_timers_fired_total'),
  ];
  await publish(redis.client, orderSimulate(`o-${randomUUID()}`));
  await waitFor(async () => (await statuses()).length === 1, { what: 'fired' });
  await waitFor(async () => (await metricValue(base, 'simulator_timers_fired_total')) === fired + 1, {
    what: 'the firing counted',
  });
  expect(await metricValue(base, 'simulator_timers_scheduled_total')).toBe(scheduled + 1);
  expect(await metricValue(base, 'simulator_timers_pending')).toBe(0);
  const health = await fetch(`http://127.0.0.1:${service.port}/api/v1/health`);
  expect(health.status).toBe(200);
});
