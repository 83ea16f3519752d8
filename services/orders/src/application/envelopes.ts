import { childEvent, newEvent, type Envelope } from '@pizza/shared';
import { isPublished, type OrderEvent } from '../domain/order';

/**
 * The events of an order that leave the service, as envelopes for the outbox: children of the event that
 * caused them, or, when a customer's request did, new events correlated by the order's id.
 */
export function envelopesOf(
  events: readonly OrderEvent[],
  origin: { source: string; now: Date; orderId: string; cause?: Envelope },
): Envelope[] {
  const { source, now, orderId, cause } = origin;
  return events
    .filter(isPublished)
    .map((e) =>
      cause
        ? childEvent(cause, e.type, e.data, { source, now })
        : newEvent(e.type, e.data, { source, now, correlationId: orderId }),
    );
}
