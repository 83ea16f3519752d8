import {
  ORDER_LIFECYCLE,
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

/** The event that reports a simulated step: the order's next status, or the delivery's. */
export function orderStatusSimulated(
  payload: EventPayload<'order.simulate'>,
): EventPayload<'order.status_simulated'> {
  return { order_id: payload.order_id, status: payload.next_status };
}

export function deliveryStatusSimulated(
  payload: EventPayload<'delivery.simulate'>,
): EventPayload<'delivery.status_simulated'> {
  return { delivery_id: payload.delivery_id, order_id: payload.order_id, status: payload.next_status };
}
