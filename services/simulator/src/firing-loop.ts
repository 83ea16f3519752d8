import type { Logger } from '@pizza/shared';
import type { FireResult } from './store/timer-store';

export interface FiringLoopOptions {
  fireDue(batchSize: number): Promise<FireResult>;
  logger: Logger;
  onFired(count: number): void;
  /** Longest sleep: how soon a timer scheduled by another replica is noticed. */
  pollMs?: number;
  batchSize?: number;
}

/**
 * Fires due timers: runs the firing script, then sleeps until the next timer is due (at most `pollMs`, since
 * other replicas add timers too). A timer scheduled here wakes it at once. Several replicas may run this loop
 * against one Redis: the script hands each timer to exactly one of them.
 */
export class FiringLoop {
  private running = false;
  private loop: Promise<void> | undefined;
  private sleeper: { timer: NodeJS.Timeout; resolve: () => void } | undefined;
  private woken = false;
  private readonly pollMs: number;
  private readonly batchSize: number;

  constructor(private readonly o: FiringLoopOptions) {
    this.pollMs = o.pollMs ?? 100;
    this.batchSize = o.batchSize ?? 200;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Look again now: a timer was just scheduled. */
  wake(): void {
    this.woken = true;
    const sleeper = this.sleeper;
    if (!sleeper) return;
    clearTimeout(sleeper.timer);
    sleeper.resolve();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      this.woken = false;
      let sleepMs = this.pollMs;
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
        if (failures % 10 === 1) this.o.logger.error({ err: error, failures }, 'firing timers failed; retrying');
        sleepMs = Math.min(5_000, 200 * 2 ** Math.min(failures - 1, 5));
      }
      if (this.running && !this.woken && sleepMs > 0) await this.sleep(sleepMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.sleeper = undefined;
        resolve();
      };
      this.sleeper = { timer: setTimeout(done, ms), resolve: done };
    });
  }
}
