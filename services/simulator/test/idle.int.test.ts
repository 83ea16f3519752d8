import { randomUUID } from 'node:crypto';
import { newEvent, streamOf, STREAMS, toStreamFields, type RunningService } from '@pizza/shared';
import { waitFor } from '@pizza/shared/testing';
import { DEFAULT_MAX_SLEEP_MS } from '../src/firing-loop';
import { start } from '../src/main';
import { TIMER_KEYS, TimerStore } from '../src/store/timer-store';
import { eventsOn, simulatorEnv, useRedis } from './helpers';

jest.setTimeout(60_000);
const redis = useRedis();

/** The consumer group's own idle traffic (blocking reads, claims, gauges and stream lengths), which the firing loop is not. */
const CONSUMER_COMMANDS = /^(xreadgroup|xautoclaim|xclaim|xlen|xpending.*|xinfo.*)$/;

async function commandCounts(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const [, name, calls] of (await redis.client.info('commandstats')).matchAll(
    /^cmdstat_(\S+?):calls=(\d+)/gm,
  )) {
    if (name !== 'info') counts.set(name as string, Number(calls));
  }
  return counts;
}

/** Commands Redis ran (script-internal ones included) while `window` ran, by name. */
async function commandsDuring(window: () => Promise<void>): Promise<Map<string, number>> {
  const before = await commandCounts();
  await window();
  const delta = new Map<string, number>();
  for (const [name, calls] of await commandCounts()) {
    const n = calls - (before.get(name) ?? 0);
    if (n > 0) delta.set(name, n);
  }
  return delta;
}

/** A simulator as deployed (production claim interval), once its wake-up subscription is live. */
async function idleSimulator(): Promise<RunningService> {
  const env = simulatorEnv(redis.url, [0, 0], { STREAM_CLAIM_IDLE_MS: '30000' });
  const service = redis.stopAfterTest(await start(env));
  await waitFor(
    async () => {
      const [, subscribers] = (await redis.client.pubsub('NUMSUB', TIMER_KEYS.scheduledChannel)) as [
        string,
        number,
      ];
      return subscribers >= 1;
    },
    { what: 'wake-up subscription' },
  );
  return service;
}

test('an idle simulator sends Redis at most two script calls a second, not a poll every 100 ms', async () => {
  await idleSimulator();
  const windowMs = 5_000;
  // A measurement window: the rate is what is asserted, so this waits out a fixed span on purpose.
  const commands = await commandsDuring(() => new Promise((resolve) => setTimeout(resolve, windowMs)));
  const firingLoop = [...commands].filter(([name]) => !CONSUMER_COMMANDS.test(name));
  const perSecond = firingLoop.reduce((sum, [, n]) => sum + n, 0) / (windowMs / 1000);
  // Polling every 100 ms ran ~40 a second (the script and the commands inside it). What is left is the
  // safety-net look and the consumer's claim and trim scripts, which Redis counts under the same EVALSHA.
  expect(perSecond).toBeLessThanOrEqual(2);
});

test('a timer scheduled by another replica fires without waiting for the safety-net look', async () => {
  await idleSimulator();
  const orderId = `o-${randomUUID()}`;
  const status = newEvent(
    'order.status_simulated',
    { order_id: orderId, status: 'confirmed' },
    { source: 'test' },
  );
  // Another replica's store: it schedules through Redis alone, so only the wake-up can tell this one.
  const elsewhere = new TimerStore(redis.client);
  const result = await elsewhere.schedule({
    id: `timer-${orderId}`,
    orderId,
    delayMs: 200,
    stream: streamOf(status),
    fields: toStreamFields(status),
  });
  expect(result).toBe('scheduled');
  // Generous for a 200 ms timer, yet well inside the loop's longest sleep.
  await waitFor(
    async () =>
      (await eventsOn(redis.client, STREAMS.orderStatus, 'order.status_simulated')).some(
        (e) => e.payload.order_id === orderId,
      ),
    { timeoutMs: DEFAULT_MAX_SLEEP_MS / 2, what: 'the timer scheduled elsewhere to fire' },
  );
});
