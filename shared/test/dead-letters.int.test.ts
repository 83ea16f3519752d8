import { fieldsFromList, fieldsToList, purgeDeadLetters, replayAllDeadLetters, STREAMS } from '../src';
import { useRedis } from './helpers';

const redis = useRedis();
const target = STREAMS.simulateOrder;

async function addLetter(originalStream: string, n: number) {
  await redis.client.xadd(STREAMS.deadLetters, '*', ...fieldsToList({ original_stream: originalStream, original_id: '1-0', event_id: `e${n}`, event_type: 'order.simulate' }));
}

describe('dead letters', () => {
  test('replay-all replays only what was there when it started, in order', async () => {
    // Letters that go back to `dead-letters` itself stand for entries failing again during a replay.
    for (let n = 0; n < 150; n++) await addLetter(STREAMS.deadLetters, n);
    expect(await replayAllDeadLetters(redis.client)).toBe(150);
    const left = await redis.client.xrange(STREAMS.deadLetters, '-', '+');
    expect(left.map(([, list]) => fieldsFromList(list).event_id)).toEqual(Array.from({ length: 150 }, (_, n) => `e${n}`));
    expect(fieldsFromList(left[0]![1]).replay_count).toBe('1');
  }, 10_000);

  test('replay-all keeps a letter whose XADD failed and deletes the ones that went back', async () => {
    await redis.client.set('not-a-stream', 'x');
    await addLetter(target, 1);
    await addLetter('not-a-stream', 2);
    await addLetter(target, 3);
    await expect(replayAllDeadLetters(redis.client)).rejects.toThrow(/WRONGTYPE/);
    const left = await redis.client.xrange(STREAMS.deadLetters, '-', '+');
    expect(left.map(([, list]) => fieldsFromList(list).event_id)).toEqual(['e2']);
    expect(await redis.client.xlen(target)).toBe(2);
  });

  test('replay never trims the target stream: only the trimmer does, below what every group acknowledged', async () => {
    const pipeline = redis.client.pipeline();
    for (let i = 0; i < 1_000; i++) pipeline.xadd(target, '*', 'n', String(i));
    await pipeline.exec();
    await addLetter(target, 1);
    await replayAllDeadLetters(redis.client);
    expect(await redis.client.xlen(target)).toBe(1_001);
  });

  test('purge returns how many it deleted', async () => {
    for (let n = 0; n < 3; n++) await addLetter(target, n);
    expect(await purgeDeadLetters(redis.client)).toBe(3);
    expect(await redis.client.exists(STREAMS.deadLetters)).toBe(0);
  });
});
