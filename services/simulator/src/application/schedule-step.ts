import { childEvent, streamOf, toStreamFields, withProducerSpans, type Logger } from '@pizza/shared';
import { pickDelay, requestedStep, type DelayRange, type SimulateRequest } from '../domain/timers';
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

/**
 * order.simulate or delivery.simulate → a timer that will publish the step's status_simulated (built now, as a
 * child of the request) after a random delay. A timer already pending, or one for a cancelled order, is not
 * scheduled again, nor one that fired unless the request is a re-drive (then its event was lost).
 */
export async function scheduleStep(deps: SimulatorDeps, request: SimulateRequest, logger: Logger) {
  const step = requestedStep(request);
  const report = childEvent(request, step.report.type, step.report.payload, { source: SOURCE });
  const delayMs = pickDelay(deps.delays);
  // The entry is built now, so its trace context is the request's handler: the firing continues that trace.
  const [status = report] = withProducerSpans([report], streamOf);
  const result = await deps.store.schedule({
    id: step.timerId,
    orderId: step.orderId,
    delayMs,
    stream: streamOf(status),
    fields: toStreamFields(status),
    redrive: step.redrive,
  });
  if (result === 'scheduled') {
    deps.metrics.scheduled.inc();
    deps.wake();
  }
  logger.debug({ timer: step.timerId, delay_ms: delayMs, result, redrive: step.redrive }, 'timer requested');
}
