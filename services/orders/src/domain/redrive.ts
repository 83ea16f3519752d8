import { ORDER_LIFECYCLE, unfinishedStatuses, type OrderStatus } from '@pizza/shared/contract';
import { redriveIfStalled, type Redrive } from '@pizza/shared';
import { createdEvent, simulationAfter, type Order, type PublishedOrderEvent } from './order';

/**
 * Re-driving an order that made no progress (the event or timer of its next step was lost, e.g. with Redis'
 * data). Pure. Nothing here changes the order: a re-drive only says again what the order has said, and asks
 * again for its next step; every consumer absorbs that as a repeat.
 */

/** The order's statuses that still expect a next step: where a re-drive can be needed. */
export const UNFINISHED_ORDER_STATUSES: readonly OrderStatus[] = unfinishedStatuses(ORDER_LIFECYCLE);

export type OrderRedrive = Redrive<OrderStatus, PublishedOrderEvent>;

/**
 * What re-drives `order` at `now`, or null when it is finished, or not stalled. The order's published
 * history comes first, for consumers that lost what they knew (the delivery service the order's address,
 * the gateway its cache); then the simulator's request for the next step. None where the next step is not
 * the simulator's: out for delivery, the delivery moves the order on, and the history's
 * `order.status_changed` is what starts (or re-answers) it.
 */
export function redriveOf(
  order: Order,
  redrivenAt: Date | undefined,
  now: Date,
  stallMs: number,
): OrderRedrive | null {
  const marks = { status: order.status, updatedAt: order.updated_at, redrivenAt };
  return redriveIfStalled(ORDER_LIFECYCLE, marks, now, stallMs, () =>
    [...publishedHistory(order), ...simulationAfter(order._id, order.status)].map(saidAgain),
  );
}

/**
 * Marked as a re-drive: a status change, so that a delivery that exists answers it (a redelivery does not);
 * the simulator's request, since the step may have fired and its event been lost.
 */
function saidAgain(event: PublishedOrderEvent): PublishedOrderEvent {
  if (event.type === 'order.status_changed') return { ...event, data: { ...event.data, redrive: true } };
  if (event.type === 'order.simulate') return { ...event, data: { ...event.data, redrive: true } };
  return event;
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
