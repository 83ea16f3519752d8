import { waitFor } from '@pizza/shared/testing';
import { spawnChild, type ChildHandle } from './infra/process';
import { restartDelay, Supervisor, type RestartPolicy } from './supervisor';

interface Fake {
  handle: ChildHandle;
}

/** A child that runs `script` with node. */
function node(script: string): Fake {
  return { handle: spawnChild(process.execPath, ['-e', script]) };
}

const FAST: RestartPolicy = { baseMs: 10, maxMs: 80, stableAfterMs: 60_000, giveUpAfter: 5, windowMs: 60_000 };

describe('restart backoff', () => {
  it('starts at 1 s and doubles up to 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((streak) => restartDelay(streak))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });
});

describe('a supervised process', () => {
  const started: Fake[] = [];
  const track = (fake: Fake) => (started.push(fake), fake);
  afterEach(async () => {
    await Promise.all(started.splice(0).map((f) => f.handle.stop(1_000)));
  });

  it('killed, comes back and the restart is logged', async () => {
    const lines: string[] = [];
    const replaced: Fake[] = [];
    const supervisor = new Supervisor(track(node('setInterval(() => {}, 1000)')), {
      label: 'oven',
      start: async () => track(node('setInterval(() => {}, 1000)')),
      onReplaced: (fresh) => replaced.push(fresh),
      log: (line) => lines.push(line),
      policy: FAST,
    });
    try {
      const first = supervisor.current.handle.child.pid;
      process.kill(first!, 'SIGKILL');
      await waitFor(() => replaced.length === 1, { what: 'a replacement' });
      expect(supervisor.current).toBe(replaced[0]);
      expect(supervisor.current.handle.child.pid).not.toBe(first);
      expect(lines).toEqual([
        'oven: exited unexpectedly (killed by SIGKILL); restarting it in 10 ms',
        `oven: restarted (pid ${supervisor.current.handle.child.pid})`,
      ]);
    } finally {
      supervisor.stop();
    }
  });

  it('that keeps crashing is restarted with a doubling delay, then given up on after 5 crashes in a minute', async () => {
    const lines: string[] = [];
    let starts = 0;
    const crashing = () => track(node('process.exit(3)'));
    const supervisor = new Supervisor(crashing(), {
      label: 'oven',
      start: async () => (starts++, crashing()),
      log: (line) => lines.push(line),
      policy: FAST,
    });
    await waitFor(() => lines.some((l) => l.includes('gave up')), { what: 'the supervisor to give up' });
    supervisor.stop();
    expect(lines).toEqual([
      'oven: exited unexpectedly (exit code 3); restarting it in 10 ms',
      'oven: restarted (pid ' + started[1]!.handle.child.pid + ')',
      'oven: exited unexpectedly (exit code 3); restarting it in 20 ms',
      'oven: restarted (pid ' + started[2]!.handle.child.pid + ')',
      'oven: exited unexpectedly (exit code 3); restarting it in 40 ms',
      'oven: restarted (pid ' + started[3]!.handle.child.pid + ')',
      'oven: exited unexpectedly (exit code 3); restarting it in 80 ms',
      'oven: restarted (pid ' + started[4]!.handle.child.pid + ')',
      'oven: gave up restarting it: 5 crashes within 60 s (last: exit code 3). The rest of the stack runs on without oven; see its output above, fix the cause and start again.',
    ]);
    expect(starts).toBe(4);
  });

  it('whose replacement cannot start counts that as a crash and tries again', async () => {
    const lines: string[] = [];
    let attempts = 0;
    const supervisor = new Supervisor(track(node('process.exit(1)')), {
      label: 'oven',
      start: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('no port line');
        return track(node('setInterval(() => {}, 1000)'));
      },
      log: (line) => lines.push(line),
      policy: FAST,
    });
    try {
      await waitFor(() => lines.some((l) => l.startsWith('oven: restarted')), { what: 'the second attempt' });
      expect(lines.slice(0, 2)).toEqual([
        'oven: exited unexpectedly (exit code 1); restarting it in 10 ms',
        'oven: exited unexpectedly (restart failed: no port line); restarting it in 20 ms',
      ]);
    } finally {
      supervisor.stop();
    }
  });

  it('stopped, is not restarted', async () => {
    const lines: string[] = [];
    const supervisor = new Supervisor(track(node('setTimeout(() => process.exit(1), 200)')), {
      label: 'oven',
      start: async () => track(node('setInterval(() => {}, 1000)')),
      log: (line) => lines.push(line),
      policy: FAST,
    });
    supervisor.stop();
    await supervisor.current.handle.exited;
    expect(lines).toEqual([]);
    expect(started).toHaveLength(1);
  });
});
