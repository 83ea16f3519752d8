import type { Envelope } from '@pizza/shared';
import { waitFor } from '@pizza/shared/testing';
import { orderCreatedUpdate, orderStatusChangedUpdate } from '../src/domain/tracking';
import { CACHE_KEYS, TrackingCache } from '../src/store/tracking-cache';
import { ORDER_STATUS_SET_PREFIX } from '../src/store/tracking-script';
import { happyPath, orderEvents, useGatewayHarness } from './helpers';

jest.setTimeout(30_000);
const h = useGatewayHarness();

test('an event applied again is stale, publishes nothing, and no key per event is kept', async () => {
  const cache = new TrackingCache(h.redis);
  const o = orderEvents();
  const [created, confirmed] = happyPath(o) as [Envelope<'order.created'>, Envelope<'order.status_changed'>];
  const messages: string[] = [];
  const subscriber = h.redis.duplicate();
  try {
    subscriber.on('message', (_channel: string, message: string) => messages.push(message));
    await subscriber.subscribe(CACHE_KEYS.channel);

    const outcomes = [];
    for (const update of [
      orderCreatedUpdate(created),
      orderCreatedUpdate(created),
      orderStatusChangedUpdate(confirmed),
      orderStatusChangedUpdate(confirmed),
      orderCreatedUpdate(created),
    ])
      outcomes.push(await cache.apply(update, { force: false }));
    // Forced (a last attempt) changes nothing for an event already applied.
    outcomes.push(await cache.apply(orderStatusChangedUpdate(confirmed), { force: true }));
    expect(outcomes).toEqual(['applied', 'stale', 'applied', 'stale', 'stale', 'stale']);
    // Besides the order's hash only the per-status sets of the system view, one key per status, not per event.
    const keys = await h.redis.keys('*');
    expect(keys.filter((k) => !k.startsWith(ORDER_STATUS_SET_PREFIX))).toEqual([CACHE_KEYS.order(o.orderId)]);
    expect(await h.redis.zrange(`${ORDER_STATUS_SET_PREFIX}confirmed`, 0, -1)).toEqual([o.orderId]);

    // A marker published after the updates: once it is in, every message of the updates is too.
    await h.redis.publish(CACHE_KEYS.channel, 'marker');
    await waitFor(() => messages.includes('marker'), { timeoutMs: 5_000, what: 'the marker message' });
    expect(
      messages.map((m) => (m === 'marker' ? m : (JSON.parse(m) as { event_id: string }).event_id)),
    ).toEqual([created.event_id, confirmed.event_id, 'marker']);
  } finally {
    subscriber.disconnect();
  }
});
