import type { Logger } from '@pizza/shared';
import type { FireResult } from './store/timer-store';

export interface FiringLoopOptions {
  fireDue(batchSize: number): Promise<FireResult>;
  logger: Logger;
  onFired(count: number): void;
  /**
   * Longest sleep. Timers scheduled anywhere arrive as wake-ups (`wake`, `wakeWithin`), so this is only the
   * safety net for a wake-up that never arrived (Pub/Sub delivers at most once).
   */
  maxSleepMs?: number;
  batchSize?: number;
}

/** The loop's longest sleep when no wake-up arrives; idle, it costs one firing script per this interval. */
export const DEFAULT_MAX_SLEEP_MS = 10_000;

/**
 * Fires due timers: runs the firing script, then sleeps until the next timer is due, as the script reports it.
 * A timer scheduled here wakes it at once (`wake`); one scheduled by another replica arrives as a wake-up with
 * its delay (`wakeWithin`), which brings the next look forward to that timer's due time. Several replicas may
 * run this loop against one Redis: the script hands each timer to exactly one of them.
 */
export class FiringLoop {
  private running = false;
  private loop: Promise<void> | undefined;
  private sleeper: { timer: NodeJS.Timeout; until: number; resolve: () => void } | undefined;
  /** The earliest time a wake-up asked for while the loop was not asleep (Infinity: none). */
  private wakeBy = Infinity;
  private readonly maxSleepMs: number;
  private readonly batchSize: number;

  constructor(private readonly o: FiringLoopOptions) {
    this.maxSleepMs = o.maxSleepMs ?? DEFAULT_MAX_SLEEP_MS;
    this.batchSize = o.batchSize ?? 200;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Look again now: a timer was just scheduled (or wake-ups may have been missed). */
  wake(): void {
    this.wakeWithin(0);
  }

  /** A timer due in `delayMs` was scheduled (perhaps elsewhere): look again by then at the latest. */
  wakeWithin(delayMs: number): void {
    const at = Date.now() + Math.max(0, delayMs);
    const sleeper = this.sleeper;
    if (!sleeper) {
      this.wakeBy = Math.min(this.wakeBy, at);
      return;
    }
    if (at >= sleeper.until) return;
    if (at <= Date.now()) return sleeper.resolve();
    clearTimeout(sleeper.timer);
    sleeper.until = at;
    sleeper.timer = setTimeout(sleeper.resolve, at - Date.now());
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      this.wakeBy = Infinity;
      let sleepMs = this.maxSleepMs;
      try {
        const result = await this.o.fireDue(this.batchSize);
        failures = 0;
        if (result.written > 0) this.o.onFired(result.written);
        if (result.popped >= this.batchSize) continue; // more may be due right now
        if (result.nextDueInMs !== undefined) sleepMs = Math.min(sleepMs, result.nextDueInMs);
      } catch (error) {
        if (!this.running) break;
        failures++;
        // Back off while Redis is away: 200 ms, doubling up to 5 s; log the first failure and then every tenth.
        if (failures % 10 === 1)
          this.o.logger.error({ err: error, failures }, 'firing timers failed; retrying');
        sleepMs = Math.min(5_000, 200 * 2 ** Math.min(failures - 1, 5));
      }
      const until = Math.min(Date.now() + sleepMs, this.wakeBy);
      if (this.running && until > Date.now()) await this.sleepUntil(until);
    }
  }

  private sleepUntil(until: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(this.sleeper?.timer);
        this.sleeper = undefined;
        resolve();
      };
      this.sleeper = { timer: setTimeout(done, until - Date.now()), until, resolve: done };
    });
  }
}
