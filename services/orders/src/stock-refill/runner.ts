import { counter, errorMessage, type Logger } from '@pizza/shared';
import { refillStock, type RefillDeps, type RefillResult } from './refill-stock';

export type RunOutcome = 'ok' | 'failed' | 'skipped';

const runs = () =>
  counter({ name: 'stock_refill_runs_total', help: 'Stock refill runs by result', labelNames: ['result'] });

/**
 * Runs refills one at a time for the scheduler: a tick that comes while a refill is still running is
 * skipped (and counted), a failed refill is logged and counted without stopping the process. After a refill
 * that wrote an event, `publish` sees it out of the outbox (a failure there only delays it: it stays in the
 * outbox for the next relay).
 */
export class RefillRunner {
  private inFlight: Promise<RunOutcome> | undefined;
  private readonly runs = runs();

  constructor(
    private readonly deps: Omit<RefillDeps, 'now'> & {
      logger: Logger;
      publish(eventId: string): Promise<void>;
    },
  ) {}

  run(): Promise<RunOutcome> {
    if (this.inFlight) {
      this.deps.logger.warn('previous stock refill still running; this tick is skipped');
      this.runs.inc({ result: 'skipped' });
      return Promise.resolve('skipped');
    }
    this.inFlight = this.refill().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** Resolves once no refill is running (for shutdown). */
  async idle(): Promise<void> {
    await this.inFlight;
  }

  private async refill(): Promise<RunOutcome> {
    let result: RefillResult;
    try {
      result = await refillStock(this.deps);
    } catch (error) {
      this.deps.logger.error({ err: error, reason: errorMessage(error) }, 'stock refill failed');
      this.runs.inc({ result: 'failed' });
      return 'failed';
    }
    this.deps.logger.info(
      { changes: result.changes, event_id: result.eventId },
      `stock refill: ${result.changes.length} item(s) refilled`,
    );
    this.runs.inc({ result: 'ok' });
    if (result.eventId) {
      await this.deps.publish(result.eventId).catch((error: unknown) => {
        this.deps.logger.warn({ err: error, event_id: result.eventId }, 'menu.restocked not published yet');
      });
    }
    return 'ok';
  }
}
