import { createLogger, type Envelope, type HandlerContext } from '@pizza/shared';
import { trackingHandlers } from '../src/handlers';
import { StockLevels } from '../src/stock/stock-levels';
import { gatewayMetrics } from '../src/metrics';
import { waitFor } from '@pizza/shared/testing';
import { orderCreatedUpdate, orderStatusUpdate } from '../src/domain/tracking';
import { CACHE_KEYS, TrackingCache } from '../src/store/tracking-cache';
import { ORDER_STATUS_SET_PREFIX } from '../src/store/tracking-cache';
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
      orderStatusUpdate(confirmed),
      orderStatusUpdate(confirmed),
      orderCreatedUpdate(created),
    ])
      outcomes.push(await cache.apply(update, { force: false }));
    // Forced (a last attempt) changes nothing for an event already applied.
    outcomes.push(await cache.apply(orderStatusUpdate(confirmed), { force: true }));
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

test('one read of events is applied in one round trip; applied again, nothing moves', async () => {
  const cache = new TrackingCache(h.redis);
  const deps = { cache, metrics: gatewayMetrics(), maxRetries: 5, stock: new StockLevels(h.redis) };
  const { batchHandler } = trackingHandlers(deps);
  const o = orderEvents();
  const [created, confirmed] = happyPath(o) as [Envelope<'order.created'>, Envelope<'order.status_changed'>];
  const logger = createLogger({ service: 'test', level: 'silent' });
  const entries = [created, confirmed, created, confirmed].map((event) => ({
    event,
    ctx: { attempt: 1, logger } as HandlerContext,
  }));
  const pipelines = jest.spyOn(h.redis, 'pipeline');
  const single = jest.spyOn(h.redis, 'evalsha');
  try {
    await batchHandler(entries);
    expect(pipelines).toHaveBeenCalledTimes(1);
    expect(single).not.toHaveBeenCalled();
  } finally {
    pipelines.mockRestore();
    single.mockRestore();
  }
  const state = await cache.read(o.orderId);
  expect(state?.state).toMatchObject({ status: 'confirmed', event_id: confirmed.event_id });
  // Applied again whole (a redelivered read): nothing moves.
  await batchHandler(entries);
  expect((await cache.read(o.orderId))?.state).toEqual(state?.state);
});
