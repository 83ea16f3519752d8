import {
  childEvent,
  streamOf,
  toStreamFields,
  withProducerSpans,
  type Envelope,
  type Logger,
} from '@pizza/shared';
import {
  deliveryStatusSimulated,
  deliveryTimerId,
  orderStatusSimulated,
  orderTimerId,
  pickDelay,
  type DelayRange,
} from '../domain/timers';
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

/** order.simulate → a timer that will publish order.status_simulated (unless the order is cancelled first). */
export function scheduleOrderStep(deps: SimulatorDeps, request: Envelope<'order.simulate'>, logger: Logger) {
  const { order_id, next_status } = request.payload;
  const status = childEvent(request, 'order.status_simulated', orderStatusSimulated(request.payload), {
    source: SOURCE,
  });
  const id = orderTimerId(order_id, next_status);
  return schedule(deps, { id, orderId: order_id, status, redrive: request.payload.redrive }, logger);
}

/** delivery.simulate → a timer that will publish delivery.status_simulated. */
export function scheduleDeliveryStep(
  deps: SimulatorDeps,
  request: Envelope<'delivery.simulate'>,
  logger: Logger,
) {
  const { delivery_id, order_id, next_status } = request.payload;
  const status = childEvent(request, 'delivery.status_simulated', deliveryStatusSimulated(request.payload), {
    source: SOURCE,
  });
  const id = deliveryTimerId(delivery_id, next_status);
  return schedule(deps, { id, orderId: order_id, status, redrive: request.payload.redrive }, logger);
}

/**
 * Schedules the timer that will publish `status` (built now, as a child of the request) after a random
 * delay; a timer already pending, or one for a cancelled order, is not scheduled again, nor one that fired
 * unless the request is a re-drive (then its event was lost).
 */
async function schedule(
  deps: SimulatorDeps,
  timer: { id: string; orderId: string; status: Envelope; redrive?: boolean },
  logger: Logger,
): Promise<void> {
  const delayMs = pickDelay(deps.delays);
  // The entry is built now, so its trace context is the request's handler: the firing continues that trace.
  const [status = timer.status] = withProducerSpans([timer.status], streamOf);
  const result = await deps.store.schedule({
    id: timer.id,
    orderId: timer.orderId,
    delayMs,
    stream: streamOf(status),
    fields: toStreamFields(status),
    redrive: timer.redrive,
  });
  if (result === 'scheduled') {
    deps.metrics.scheduled.inc();
    deps.wake();
  }
  logger.debug({ timer: timer.id, delay_ms: delayMs, result, redrive: timer.redrive }, 'timer requested');
}
