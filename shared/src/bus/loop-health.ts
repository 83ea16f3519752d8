import { setTimeout as delay } from 'node:timers/promises';
import { errorMessage } from '../errors';
import type { Logger } from '../logger';

const BACKOFF_BASE_MS = 100;
const BACKOFF_MAX_MS = 5_000;

/** Exponential backoff with jitter for the n-th failure in a row (1-based), capped at 5 s. */
export function backoffMs(failures: number): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(failures - 1, 16));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** Waits `ms`, or less if `signal` aborts (never rejects). */
export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal }).catch(() => undefined);
}

/**
 * Whether a loop's work is going through, logged once per outage: the first failure of a streak is logged
 * (with its error), the rest only counted, and the first success after it says how long it lasted. A
 * dependency that is down for a minute writes two lines, not hundreds.
 */
export class LoopHealth {
  private failures = 0;
  private since = 0;
  private lastError = '';

  constructor(
    private readonly logger: Logger,
    private readonly onChange: (ok: boolean) => void,
  ) {
    onChange(true);
  }

  get state(): { ok: boolean; error?: string } {
    return this.failures === 0 ? { ok: true } : { ok: false, error: this.lastError };
  }

  /** Records a failure; returns how many in a row (for the backoff). */
  failed(error: unknown, context: Record<string, unknown>): number {
    this.lastError = errorMessage(error);
    if (this.failures++ === 0) {
      this.since = Date.now();
      this.onChange(false);
      this.logger.error({ err: error, ...context }, 'consumer cannot read; retrying with backoff (logged once until it recovers)');
    }
    return this.failures;
  }

  succeeded(): void {
    if (this.failures === 0) return;
    this.logger.warn({ failures: this.failures, down_ms: Date.now() - this.since }, 'consumer reading again');
    this.failures = 0;
    this.onChange(true);
  }
}
