import type { ChildHandle } from './infra/process';

/**
 * How a process that exits unexpectedly is brought back: after 1 s, doubling while it keeps crashing, at
 * most 30 s; one that ran for `stableAfterMs` starts over at 1 s. 5 crashes in a minute and it stays down.
 */
export interface RestartPolicy {
  baseMs: number;
  maxMs: number;
  stableAfterMs: number;
  giveUpAfter: number;
  windowMs: number;
}

export const RESTART_POLICY: RestartPolicy = {
  baseMs: 1_000,
  maxMs: 30_000,
  stableAfterMs: 60_000,
  giveUpAfter: 5,
  windowMs: 60_000,
};

/** Delay before restart number `streak` (0-based) of a process that keeps crashing. */
export function restartDelay(streak: number, policy: RestartPolicy = RESTART_POLICY): number {
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, streak));
}

export function exitText(handle: ChildHandle, code: number | null): string {
  const killedBy = handle.child.signalCode;
  return killedBy !== null ? `killed by ${killedBy}` : `exit code ${code}`;
}

function seconds(ms: number): string {
  return ms < 1_000 ? `${ms} ms` : `${+(ms / 1_000).toFixed(1)} s`;
}

export interface SupervisorOptions<T> {
  /** Name in the log: `notifications`, `redis`… */
  label: string;
  /** Starts a replacement; rejects if it could not (counted as one more crash). */
  start: () => Promise<T>;
  log: (message: string) => void;
  /** Told about every replacement, deliberate or not, so callers can route to it. */
  onReplaced?: (fresh: T) => void;
  policy?: RestartPolicy;
}

/**
 * Keeps one process running: when it exits without being asked to, it is started again after a backoff
 * that doubles while it keeps crashing; after `giveUpAfter` crashes within `windowMs` it says so and stops trying.
 */
export class Supervisor<T extends { handle: ChildHandle }> {
  private running: T;
  private stopped = false;
  private crashes: number[] = [];
  private streak = 0;
  private startedAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private readonly deliberate = new WeakSet<T>();
  private readonly policy: RestartPolicy;

  constructor(
    first: T,
    private readonly o: SupervisorOptions<T>,
  ) {
    this.policy = o.policy ?? RESTART_POLICY;
    this.running = first;
    this.watch(first);
  }

  get current(): T {
    return this.running;
  }

  /** No more restarts: the stack is stopping. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Kills the running process with `signal` and starts a new one at once (fault tests). */
  async replace(signal: NodeJS.Signals): Promise<T> {
    const old = this.running;
    this.deliberate.add(old);
    old.handle.child.kill(signal);
    await old.handle.exited;
    return this.adopt(await this.o.start());
  }

  private adopt(fresh: T): T {
    this.running = fresh;
    this.startedAt = Date.now();
    this.watch(fresh);
    this.o.onReplaced?.(fresh);
    return fresh;
  }

  private watch(process: T): void {
    void process.handle.exited.then((code) => {
      if (this.stopped || this.deliberate.has(process) || process !== this.running) return;
      this.crashed(exitText(process.handle, code));
    });
  }

  private crashed(why: string): void {
    const now = Date.now();
    this.crashes = [...this.crashes.filter((at) => now - at < this.policy.windowMs), now];
    if (now - this.startedAt >= this.policy.stableAfterMs) this.streak = 0;
    const label = this.o.label;
    if (this.crashes.length >= this.policy.giveUpAfter) {
      this.stopped = true;
      this.o.log(
        `${label}: gave up restarting it: ${this.crashes.length} crashes within ${seconds(this.policy.windowMs)} (last: ${why}). ` +
          `The rest of the stack runs on without ${label}; see its output above, fix the cause and start again.`,
      );
      return;
    }
    const delay = restartDelay(this.streak, this.policy);
    this.streak += 1;
    this.o.log(`${label}: exited unexpectedly (${why}); restarting it in ${seconds(delay)}`);
    this.timer = setTimeout(() => void this.restart(), delay);
  }

  private async restart(): Promise<void> {
    this.timer = undefined;
    this.startedAt = Date.now();
    let fresh: T;
    try {
      fresh = await this.o.start();
    } catch (error) {
      if (!this.stopped) this.crashed(`restart failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      return;
    }
    if (this.stopped) {
      await fresh.handle.stop();
      return;
    }
    this.adopt(fresh);
    this.o.log(`${this.o.label}: restarted (pid ${fresh.handle.child.pid ?? '?'})`);
  }
}
