import { TRACKING_SEQUENCE, waitFor } from '@pizza/shared/testing';
import type { Envelope } from '@pizza/shared';
import { orderCreatedUpdate, orderStatusUpdate } from '../src/domain/tracking';
import { CACHE_KEYS, TrackingCache } from '../src/store/tracking-cache';
import { happyPath, JOURNEY, orderEvents, publish, useGatewayHarness, Watcher } from './helpers';

jest.setTimeout(30_000);
const h = useGatewayHarness();

function watch(port: number, o: { orderId: string; token: string }) {
  const watcher = Watcher.connect(port, o.orderId, o.token);
  h.track(watcher.ws);
  return watcher;
}

test('with two replicas, a client on each sees every update, whichever replica consumed it', async () => {
  const [a, b] = await Promise.all([h.gateway(), h.gateway()]);
  const orders = Array.from({ length: 10 }, () => orderEvents());
  const watchers = orders.flatMap((o) => [watch(a!.port, o), watch(b!.port, o)]);
  await Promise.all(watchers.map((w) => w.opened));
  // Interleaved, as the services would publish them for orders in flight at once.
  const paths = orders.map((o) => happyPath(o));
  for (let step = 0; step < TRACKING_SEQUENCE.length; step++)
    await publish(h.redis, ...paths.map((p) => p[step]!));
  for (const watcher of watchers)
    expect(await watcher.waitForSequence(TRACKING_SEQUENCE.length)).toEqual(TRACKING_SEQUENCE);
});

test('a change applied by another replica reaches the clients of this one through the fan-out', async () => {
  const { port } = await h.gateway();
  // The test's own cache handle plays the other replica: it applies updates but has no clients.
  const elsewhere = new TrackingCache(h.redis);
  const o = orderEvents();
  const [created, confirmed] = happyPath(o) as [Envelope<'order.created'>, Envelope<'order.status_changed'>];
  const watcher = watch(port, o);
  await watcher.opened;
  expect(await elsewhere.apply(orderCreatedUpdate(created), { force: false })).toBe('applied');
  expect(await elsewhere.apply(orderStatusUpdate(confirmed), { force: false })).toBe('applied');
  expect(await watcher.waitForSequence(2)).toEqual(TRACKING_SEQUENCE.slice(0, 2));
});

test('a client that reconnects gets the current state at once', async () => {
  const { port } = await h.gateway();
  const o = orderEvents();
  const path = happyPath(o);
  await publish(h.redis, ...path.slice(0, 2));
  const first = watch(port, o);
  await waitFor(() => first.sequence.at(-1) === 'confirmed/null', { what: 'confirmed' });
  first.ws.close();
  await first.closed;

  // On to the delivery's first state.
  const handoff = JOURNEY.findIndex((step) => step.delivery_status !== null);
  await publish(h.redis, ...path.slice(2, handoff + 1));
  await waitFor(
    async () => (await h.redis.hget(CACHE_KEYS.order(o.orderId), 'delivery_status')) === 'waiting',
    {
      what: 'cache at waiting',
    },
  );
  const again = watch(port, o);
  expect(await again.waitForSequence(1)).toEqual([TRACKING_SEQUENCE[handoff]]);
  expect(again.messages[0]).toMatchObject({ event_id: path[handoff]!.event_id });
});

test('when the fan-out connection drops, clients are resynced from the cache', async () => {
  const { port } = await h.gateway();
  const o = orderEvents();
  const path = happyPath(o);
  await publish(h.redis, path[0]!);
  const watcher = watch(port, o);
  await watcher.waitForSequence(1);
  await h.redis.client('KILL', 'TYPE', 'pubsub');
  await publish(h.redis, path[1]!);
  await waitFor(() => watcher.sequence.at(-1) === 'confirmed/null', { what: 'confirmed after the drop' });
  expect(watcher.sequence).toEqual(TRACKING_SEQUENCE.slice(0, 2));
});
