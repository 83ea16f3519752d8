import { DELIVERY_LIFECYCLE, unfinishedStatuses, type DeliveryStatus } from '@pizza/shared/contract';
import { redriveIfStalled, type Redrive } from '@pizza/shared';
import { createdEvent, simulationAfter, type Delivery, type DeliveryEvent } from './delivery';

/**
 * Re-driving a delivery that made no progress (the event or timer of its next step was lost, e.g. with
 * Redis' data). Pure. A re-drive only says again what the delivery has said and asks again for its next
 * step; every consumer absorbs that as a repeat.
 */

/** The delivery's statuses that still expect a next step. */
export const UNFINISHED_DELIVERY_STATUSES: readonly DeliveryStatus[] = unfinishedStatuses(DELIVERY_LIFECYCLE);

export type DeliveryRedrive = Redrive<DeliveryStatus, DeliveryEvent>;

/**
 * What re-drives `delivery` at `now`, or null when it is finished or not stalled: its published history,
 * for consumers that lost it, then the simulator's request for its next step, marked as a re-drive (its
 * timer may have fired, its event been lost).
 */
export function redriveOf(
  delivery: Delivery,
  redrivenAt: Date | undefined,
  now: Date,
  stallMs: number,
): DeliveryRedrive | null {
  const marks = { status: delivery.status, updatedAt: delivery.updatedAt, redrivenAt };
  return redriveIfStalled(DELIVERY_LIFECYCLE, marks, now, stallMs, () => [
    ...publishedHistory(delivery),
    ...simulationAfter(delivery, delivery.status).map((request) => ({
      ...request,
      data: { ...request.data, redrive: true as const },
    })),
  ]);
}

/** The events the delivery published so far, rebuilt from its history: delivery.created, then each change. */
export function publishedHistory(delivery: Delivery): DeliveryEvent[] {
  const [first, ...rest] = delivery.history;
  if (!first) return [];
  const ids = { delivery_id: delivery.id, order_id: delivery.orderId };
  const changes = rest.map((step, i): DeliveryEvent => ({
    type: 'delivery.status_changed',
    data: { ...ids, from: delivery.history[i]!.status, status: step.status, at: step.at.toISOString() },
  }));
  return [createdEvent(delivery, first.at), ...changes];
}
