import {
  DELIVERY_LIFECYCLE,
  isFinal,
  nextOnPath,
  simulatedAfter,
  type DeliveryStatus,
} from '@pizza/shared/contract';
import { isStalled } from '@pizza/shared';
import type { Delivery, DeliveryEvent } from './delivery';

/**
 * Re-driving a delivery that made no progress (the event or timer of its next step was lost, e.g. with
 * Redis' data). Pure. A re-drive only says again what the delivery has said and asks again for its next
 * step; every consumer absorbs that as a repeat.
 */

/** The delivery's statuses that still expect a next step. */
export const UNFINISHED_DELIVERY_STATUSES: readonly DeliveryStatus[] = DELIVERY_LIFECYCLE.happyPath.filter(
  (status) => !isFinal(DELIVERY_LIFECYCLE, status),
);

export interface DeliveryRedrive {
  /** The status it waits for: the step re-driven. */
  step: DeliveryStatus;
  events: DeliveryEvent[];
  stalledMs: number;
}

/**
 * What re-drives `delivery` at `now`, or null when it is finished or not stalled (it moved, or was
 * re-driven, within `stallMs`): its published history, for consumers that lost it, then the request for
 * its next step.
 */
export function redriveOf(
  delivery: Delivery,
  redrivenAt: Date | undefined,
  now: Date,
  stallMs: number,
): DeliveryRedrive | null {
  const step = nextOnPath(DELIVERY_LIFECYCLE, delivery.status);
  if (step === null || !isStalled({ updatedAt: delivery.updatedAt, redrivenAt }, now, stallMs)) return null;
  const request = nextStepRequest(delivery);
  const events = [...publishedHistory(delivery), ...(request ? [request] : [])];
  return { step, events, stalledMs: now.getTime() - delivery.updatedAt.getTime() };
}

/** The simulator's request for the next step, marked as a re-drive (its timer may have fired, its event lost). */
export function nextStepRequest(delivery: Delivery): DeliveryEvent | null {
  const next = simulatedAfter(DELIVERY_LIFECYCLE, delivery.status);
  if (next === null) return null;
  const data = {
    delivery_id: delivery.id,
    order_id: delivery.orderId,
    next_status: next,
    redrive: true as const,
  };
  return { type: 'delivery.simulate', data };
}

/** The events the delivery published so far, rebuilt from its history: delivery.created, then each change. */
export function publishedHistory(delivery: Delivery): DeliveryEvent[] {
  const [first, ...rest] = delivery.history;
  if (!first) return [];
  const ids = { delivery_id: delivery.id, order_id: delivery.orderId };
  const created: DeliveryEvent = {
    type: 'delivery.created',
    data: {
      ...ids,
      status: DELIVERY_LIFECYCLE.happyPath[0],
      address: delivery.address,
      at: first.at.toISOString(),
    },
  };
  const changes = rest.map((step, i): DeliveryEvent => ({
    type: 'delivery.status_changed',
    data: { ...ids, from: delivery.history[i]!.status, status: step.status, at: step.at.toISOString() },
  }));
  return [created, ...changes];
}
