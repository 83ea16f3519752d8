import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { spawnChild, waitForLine, type ChildHandle } from '@pizza/stack';
import { STREAMS } from '@pizza/shared';
import { waitFor } from '@pizza/shared/testing';
import { TIMER_KEYS } from '../src/store/timer-store';
import { eventsOn, orderSimulate, publish, simulatorEnv, useRedis } from './helpers';

jest.setTimeout(60_000);
const redis = useRedis();
const REPO_ROOT = resolve(__dirname, '../../..');

/** The simulator as a real process, as deployed; resolves once it is consuming. */
async function spawnSimulator(delays: [number, number]): Promise<ChildHandle> {
  const child = spawnChild(process.execPath, ['--import', 'tsx', 'services/simulator/src/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...simulatorEnv(redis.url, delays, { LOG_LEVEL: 'info' }) },
  });
  redis.stopAfterTest(child);
  await waitForLine(child, (line) => line.includes('simulator listening'), {
    timeoutMs: 30_000,
    what: 'simulator',
  });
  child.child.stdout?.resume();
  child.child.stderr?.resume();
  return child;
}

async function kill9(child: ChildHandle): Promise<void> {
  child.child.kill('SIGKILL');
  await child.exited;
}

const firedOrders = async () =>
  (await eventsOn(redis.client, STREAMS.orderStatus, 'order.status_simulated')).map(
    (e) => e.payload.order_id,
  );

test('when the simulator is SIGKILLed with timers pending, then after a restart each fires exactly once', async () => {
  const orders = Array.from({ length: 30 }, () => `o-${randomUUID()}`);
  const first = await spawnSimulator([1_500, 2_000]);
  await publish(redis.client, ...orders.map((id) => orderSimulate(id)));
  await waitFor(async () => (await redis.client.zcard(TIMER_KEYS.due)) === orders.length, {
    what: 'all scheduled',
  });
  await kill9(first);
  expect(await firedOrders()).toEqual([]);

  await spawnSimulator([1_500, 2_000]);
  await waitFor(async () => (await firedOrders()).length >= orders.length, {
    timeoutMs: 20_000,
    what: 'all fired',
  });
  await waitFor(async () => (await redis.client.zcard(TIMER_KEYS.due)) === 0, { what: 'none pending' });
  const fired = await firedOrders();
  expect(fired).toHaveLength(orders.length);
  expect(new Set(fired)).toEqual(new Set(orders));
});

test('when the simulator is SIGKILLed mid-flow, then every requested step still fires exactly once', async () => {
  const orders = Array.from({ length: 300 }, () => `o-${randomUUID()}`);
  const first = await spawnSimulator([0, 30]);
  await publish(redis.client, ...orders.map((id) => orderSimulate(id)));
  // Killed while entries are being read, scheduled and fired: some of each, acked or not.
  await waitFor(async () => (await firedOrders()).length > 0, { intervalMs: 1, what: 'first firing' });
  await kill9(first);

  await spawnSimulator([0, 30]);
  await waitFor(async () => (await firedOrders()).length >= orders.length, {
    timeoutMs: 20_000,
    what: 'all fired',
  });
  // Unacked entries of the dead consumer are reclaimed and re-handled: they must schedule nothing new.
  await waitFor(
    async () =>
      Number(((await redis.client.xpending(STREAMS.simulateOrder, 'simulator-group')) as [number])[0]) === 0,
    {
      timeoutMs: 10_000,
      what: 'all acked',
    },
  );
  await waitFor(async () => (await redis.client.zcard(TIMER_KEYS.due)) === 0, { what: 'none pending' });
  const fired = await firedOrders();
  expect(fired).toHaveLength(orders.length);
  expect(new Set(fired)).toEqual(new Set(orders));
});
