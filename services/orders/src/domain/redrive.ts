import {
  isFinal,
  nextOnPath,
  ORDER_LIFECYCLE,
  simulatedAfter,
  type OrderStatus,
} from '@pizza/shared/contract';
import { isStalled } from '@pizza/shared';
import { createdEvent, type Order, type PublishedOrderEvent } from './order';

/**
 * Re-driving an order that made no progress (the event or timer of its next step was lost, e.g. with Redis'
 * data). Pure. Nothing here changes the order: a re-drive only says again what the order has said, and asks
 * again for its next step; every consumer absorbs that as a repeat.
 */

/** The order's statuses that still expect a next step: where a re-drive can be needed. */
export const UNFINISHED_ORDER_STATUSES: readonly OrderStatus[] = ORDER_LIFECYCLE.happyPath.filter(
  (status) => !isFinal(ORDER_LIFECYCLE, status),
);

export interface OrderRedrive {
  /** The status it waits for: the step re-driven. */
  step: OrderStatus;
  events: PublishedOrderEvent[];
  stalledMs: number;
}

/**
 * What re-drives `order` at `now`, or null when it is finished, or not stalled (it moved, or was re-driven,
 * within `stallMs`). The order's published history comes first, for consumers that lost what they knew
 * (the delivery service the order's address, the gateway its cache); then the request for the next step.
 */
export function redriveOf(
  order: Order,
  redrivenAt: Date | undefined,
  now: Date,
  stallMs: number,
): OrderRedrive | null {
  const step = nextOnPath(ORDER_LIFECYCLE, order.status);
  if (step === null || !isStalled({ updatedAt: order.updated_at, redrivenAt }, now, stallMs)) return null;
  const request = nextStepRequest(order);
  const history = publishedHistory(order).map((event): PublishedOrderEvent =>
    event.type === 'order.status_changed' ? { ...event, data: { ...event.data, redrive: true } } : event,
  );
  const events = [...history, ...(request ? [request] : [])];
  return { step, events, stalledMs: now.getTime() - order.updated_at.getTime() };
}

/**
 * The request for the order's next step: the simulator's, marked as a re-drive (the step may have fired and
 * its event been lost). None where the next step is not the simulator's: out for delivery, the delivery
 * moves the order on, and the history's `order.status_changed` is what starts (or re-answers) it.
 */
export function nextStepRequest(order: Order): PublishedOrderEvent | null {
  const next = simulatedAfter(ORDER_LIFECYCLE, order.status);
  if (next === null) return null;
  return { type: 'order.simulate', data: { order_id: order._id, next_status: next, redrive: true } };
}

/** The events the order published so far, rebuilt from its state: order.created, then each status change. */
export function publishedHistory(order: Order): PublishedOrderEvent[] {
  const created = createdEvent(order, order.created_at);
  const changes = order.timeline.slice(1).map((step, i): PublishedOrderEvent => ({
    type: 'order.status_changed',
    data: {
      order_id: order._id,
      from: order.timeline[i]!.status,
      status: step.status,
      at: step.at.toISOString(),
    },
  }));
  return [created, ...changes];
}
