import { fieldsFromList, STREAMS } from '@pizza/shared';
import { TimerStore } from '../src/store/timer-store';
import { useRedis } from './helpers';

const redis = useRedis();

test('a fired timer writes its entry with the firing time, formatted from the clock, as its timestamp', async () => {
  const firedAt = new Date('2031-02-03T04:05:06.789Z');
  const store = new TimerStore(redis.client, { clock: () => firedAt });
  const scheduled = await store.schedule({
    id: 'o-1:confirmed',
    orderId: 'o-1',
    delayMs: 0,
    stream: STREAMS.orderStatus,
    fields: { event_id: 'e-1', timestamp: 'set when fired', payload: '{}' },
  });
  expect(scheduled).toBe('scheduled');

  expect(await store.fireDue(10)).toEqual({ popped: 1, written: 1, nextDueInMs: undefined });
  const [[, list]] = (await redis.client.xrange(STREAMS.orderStatus, '-', '+')) as [[string, string[]]];
  expect(fieldsFromList(list)).toEqual({
    event_id: 'e-1',
    timestamp: '2031-02-03T04:05:06.789Z',
    payload: '{}',
  });
});
