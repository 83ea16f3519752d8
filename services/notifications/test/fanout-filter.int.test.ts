import type { Logger } from '@pizza/shared';
import { waitFor } from '@pizza/shared/testing';
import { FanoutSubscriber } from '../src/store/fanout';
import { CACHE_KEYS } from '../src/store/tracking-cache';
import type { TrackingState } from '../src/domain/tracking';
import { trackingState, useGatewayHarness } from './helpers';

jest.setTimeout(30_000);
const h = useGatewayHarness();

test('fan-out messages of orders this replica has no client of are dropped before validation', async () => {
  const received: TrackingState[] = [];
  const warn = jest.fn();
  const { host, port } = h.redis.options;
  const fanout = new FanoutSubscriber({
    redisUrl: `redis://${host ?? '127.0.0.1'}:${port ?? 6379}`,
    name: 'fanout-filter-test',
    logger: { warn, debug: jest.fn(), info: jest.fn(), error: jest.fn() } as unknown as Logger,
    watches: (orderId) => orderId === 'watched',
    onState: (s) => received.push(s),
    onResubscribed: () => undefined,
  });
  await fanout.start();
  try {
    // Malformed for an unwatched order (dropped silently), malformed for the watched one (warned), then
    // valid states; one connection delivers in publish order, so the last one marks the end.
    for (const message of [
      JSON.stringify({ order_id: 'other', rank: 'not a number' }),
      JSON.stringify(trackingState('other', 1)),
      JSON.stringify({ order_id: 'watched', rank: 'not a number' }),
      'not json',
      JSON.stringify(trackingState('watched', 1)),
    ])
      await h.redis.publish(CACHE_KEYS.channel, message);
    await waitFor(() => received.length > 0, { timeoutMs: 5_000, what: 'the watched state' });
    expect(received.map((s) => s.order_id)).toEqual(['watched']);
    expect(warn).toHaveBeenCalledTimes(2);
  } finally {
    await fanout.stop();
  }
});
