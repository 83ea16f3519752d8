import { randomUUID } from 'node:crypto';
import { AppError, type Envelope } from '@pizza/shared';
import { isRejection } from '@pizza/shared/contract';
import { decide } from '../domain/delivery';
import type { DeliveryWork } from './delivery-work';

/** The order's order.created has not been seen yet: retried, since it is on the same stream, earlier. */
class AddressUnknownError extends AppError {
  constructor(orderId: string) {
    super(`no address known yet for order ${orderId}`, { code: 'address_unknown', retryable: true });
  }
}

export type StartOutcome = { kind: 'started' } | { kind: 'already_started' };

/**
 * An order went out for delivery: let the order's delivery decide (a second start, e.g. the same event
 * again, is refused), and record the new delivery with delivery.created and the simulator's step.
 */
export function startDelivery(work: DeliveryWork, cause: Envelope<'order.status_changed'>): StartOutcome {
  const orderId = cause.payload.order_id;
  const address = work.addressOf(orderId);
  if (address === undefined) throw new AddressUnknownError(orderId);
  const loaded = work.deliveryOf(orderId);
  const delivery = { id: randomUUID(), orderId, address };
  const events = decide({ type: 'StartDelivery', now: work.now, delivery }, loaded);
  if (isRejection(events)) return { kind: 'already_started' };
  work.record(loaded, events, cause);
  return { kind: 'started' };
}
