import { streamOf, toStreamFields, type Envelope, type HandlerContext } from '@pizza/shared';
import { pickDelay, type DelayRange } from '../domain/timers';
import type { SimulatorMetrics } from '../metrics';
import type { TimerStore } from '../store/timer-store';

export const SOURCE = 'simulator';

export interface SimulatorDeps {
  store: TimerStore;
  metrics: SimulatorMetrics;
  delays: DelayRange;
  /** Tells the firing loop a timer was just added. */
  wake(): void;
}

/** Schedules the timer that will publish `status` (already built, as a child of the simulate event). */
export async function scheduleStatus(
  deps: SimulatorDeps,
  timer: { id: string; orderId: string; status: Envelope },
  ctx: HandlerContext,
): Promise<void> {
  const delayMs = pickDelay(deps.delays);
  const result = await deps.store.schedule({
    id: timer.id,
    orderId: timer.orderId,
    delayMs,
    stream: streamOf(timer.status),
    fields: toStreamFields(timer.status),
  });
  if (result === 'scheduled') {
    deps.metrics.scheduled.inc();
    deps.wake();
  }
  ctx.logger.debug({ timer: timer.id, delay_ms: delayMs, result }, 'timer requested');
}
