import { createLogger } from '@pizza/shared';
import { FiringLoop } from '../src/firing-loop';
import type { FireResult } from '../src/store/timer-store';

const IDLE: FireResult = { popped: 0, written: 0, nextDueInMs: undefined };

/** A loop on fake timers whose firing script reports whatever `next` says; counts its looks. */
function fakeLoop(next: () => FireResult = () => IDLE) {
  const looks: number[] = [];
  const loop = new FiringLoop({
    fireDue: () => {
      looks.push(Date.now());
      return Promise.resolve(next());
    },
    logger: createLogger({ service: 'test', level: 'silent' }),
    onFired: () => undefined,
    maxSleepMs: 1_000,
  });
  return { loop, looks };
}

beforeEach(() => jest.useFakeTimers({ now: 0 }));
afterEach(() => jest.useRealTimers());

test('idle, it looks once per longest sleep', async () => {
  const { loop, looks } = fakeLoop();
  loop.start();
  await jest.advanceTimersByTimeAsync(3_500);
  expect(looks).toEqual([0, 1_000, 2_000, 3_000]);
  await stop(loop);
});

test('it sleeps until the next due timer the script reports', async () => {
  const dueIn = [250, undefined];
  const { loop, looks } = fakeLoop(() => ({ ...IDLE, nextDueInMs: dueIn.shift() }));
  loop.start();
  await jest.advanceTimersByTimeAsync(1_300);
  expect(looks).toEqual([0, 250, 1_250]);
  await stop(loop);
});

test('a wake-up brings the next look forward to its due time, never later', async () => {
  const { loop, looks } = fakeLoop();
  loop.start();
  await jest.advanceTimersByTimeAsync(100);
  loop.wakeWithin(5_000); // later than the current sleep: changes nothing
  loop.wakeWithin(200); // due at 300
  await jest.advanceTimersByTimeAsync(250);
  expect(looks).toEqual([0, 300]);
  loop.wake();
  await jest.advanceTimersByTimeAsync(0);
  expect(looks).toEqual([0, 300, 350]);
  await stop(loop);
});

test('a wake-up that arrives while the script runs is not lost', async () => {
  const wakeUps = [50];
  const fake = fakeLoop(() => {
    const delay = wakeUps.shift();
    if (delay !== undefined) fake.loop.wakeWithin(delay);
    return IDLE;
  });
  fake.loop.start();
  await jest.advanceTimersByTimeAsync(60);
  expect(fake.looks).toEqual([0, 50]);
  await stop(fake.loop);
});

async function stop(loop: FiringLoop): Promise<void> {
  const stopped = loop.stop();
  await jest.advanceTimersByTimeAsync(0);
  await stopped;
}
