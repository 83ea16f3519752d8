import { spawnChild, waitForLine } from '@pizza/stack';
import { STREAMS, type HandlerContext } from '../src';
import { waitFor } from '../src/testing';
import { fastRetry, orderSimulate, useRedis } from './helpers';

const redis = useRedis();

test('an entry whose consumer was SIGKILLed mid-handler is reclaimed by another consumer', async () => {
  const doomed = spawnChild(process.execPath, ['--import', 'tsx', `${__dirname}/fixtures/stuck-consumer.ts`], {
    env: { ...process.env, REDIS_URL: redis.url },
  });
  try {
    await waitForLine(doomed, (l) => l.includes('consuming'), { timeoutMs: 20_000, what: 'stuck consumer' });
    const event = orderSimulate();
    const bus = redis.bus();
    await bus.publish(event);
    await waitForLine(doomed, (l) => l.includes(`handling ${event.event_id}`), { timeoutMs: 10_000, what: 'handler start' });
    doomed.child.kill('SIGKILL');
    await doomed.exited;

    const seen: HandlerContext[] = [];
    await bus
      .consumer({ group: 'g', consumer: 'rescuer', streams: [STREAMS.simulateOrder], handlers: { 'order.simulate': async (_e, ctx) => void seen.push(ctx) }, ...fastRetry })
      .start();
    await waitFor(() => seen.length === 1, { what: 'reclaim' });
    expect(seen[0]!.attempt).toBe(2);
    await waitFor(async () => Number(((await redis.client.xpending(STREAMS.simulateOrder, 'g')) as [number])[0]) === 0, { what: 'acked' });
  } finally {
    await doomed.stop();
  }
});
