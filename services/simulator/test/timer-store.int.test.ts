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

test('a re-driven step fires again after its timer fired (its event was lost), but is still one timer while pending', async () => {
  const store = new TimerStore(redis.client);
  const timer = {
    id: 'order:o-2:confirmed',
    orderId: 'o-2',
    delayMs: 0,
    stream: STREAMS.orderStatus,
    fields: { event_id: 'e-2', timestamp: 'set when fired', payload: '{}' },
  };
  expect(await store.schedule(timer)).toBe('scheduled');
  expect((await store.fireDue(10)).written).toBe(1);
  // A plain repeat of the request (a redelivery) is absorbed by the fired marker.
  expect(await store.schedule(timer)).toBe('duplicate');
  // The step made no progress, so the owner re-drives it: it fires again, once however often it is asked.
  const redrive = { ...timer, redrive: true, delayMs: 60_000 };
  expect(await store.schedule(redrive)).toBe('scheduled');
  expect(await store.schedule(redrive)).toBe('duplicate');
  expect(await store.pending()).toBe(1);
  // A cancelled order is not re-driven.
  await store.cancelOrder('o-2', [timer.id]);
  expect(await store.schedule(redrive)).toBe('cancelled');
});
