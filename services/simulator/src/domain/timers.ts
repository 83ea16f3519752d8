import {
  ORDER_LIFECYCLE,
  type Envelope,
  type EventPayload,
  type SimulatedDeliveryStatus,
  type SimulatedOrderStatus,
} from '@pizza/shared/contract';

/**
 * Pure rules of the simulator's timers. A timer id names the step it will take, so asking twice for the
 * same step (a redelivered simulate event) schedules one timer.
 */
export type OrderStep = SimulatedOrderStatus;
export type DeliveryStep = SimulatedDeliveryStatus;

/** The order steps the simulator drives (the lifecycle's), each a timer of its own. */
export const ORDER_STEPS: readonly OrderStep[] = ORDER_LIFECYCLE.simulated;

export function orderTimerId(orderId: string, next: OrderStep): string {
  return `order:${orderId}:${next}`;
}

export function deliveryTimerId(deliveryId: string, next: DeliveryStep): string {
  return `delivery:${deliveryId}:${next}`;
}

/** Every timer an order of its own can have: what a cancellation removes. */
export function orderTimerIds(orderId: string): string[] {
  return ORDER_STEPS.map((step) => orderTimerId(orderId, step));
}

export interface DelayRange {
  minMs: number;
  maxMs: number;
}

/** A whole number of milliseconds in [minMs, maxMs], both ends included. `random` is in [0, 1). */
export function pickDelay(range: DelayRange, random: () => number = Math.random): number {
  if (range.minMs > range.maxMs) throw new RangeError(`empty delay range ${range.minMs}..${range.maxMs}`);
  const span = range.maxMs - range.minMs + 1;
  return range.minMs + Math.min(span - 1, Math.floor(random() * span));
}

/** A request for the next simulated step of an order or of its delivery. */
export type SimulateRequest = Envelope<'order.simulate'> | Envelope<'delivery.simulate'>;

/** The step a request asks for: the timer that will take it, and the event that will report it. */
export interface RequestedStep {
  timerId: string;
  orderId: string;
  /** A re-drive: the step may have been taken before and its report lost, so it is taken again. */
  redrive: boolean | undefined;
  report:
    | { type: 'order.status_simulated'; payload: EventPayload<'order.status_simulated'> }
    | { type: 'delivery.status_simulated'; payload: EventPayload<'delivery.status_simulated'> };
}

export function requestedStep(request: SimulateRequest): RequestedStep {
  const { order_id, redrive } = request.payload;
  if (request.event_type === 'order.simulate') {
    const payload = { order_id, status: request.payload.next_status };
    const timerId = orderTimerId(order_id, request.payload.next_status);
    return { timerId, orderId: order_id, redrive, report: { type: 'order.status_simulated', payload } };
  }
  const { delivery_id } = request.payload;
  const payload = { delivery_id, order_id, status: request.payload.next_status };
  const timerId = deliveryTimerId(delivery_id, request.payload.next_status);
  return { timerId, orderId: order_id, redrive, report: { type: 'delivery.status_simulated', payload } };
}
