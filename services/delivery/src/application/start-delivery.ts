import { randomUUID } from 'node:crypto';
import { AppError, type Envelope } from '@pizza/shared';
import { isRejection } from '@pizza/shared/contract';
import { decide, isRedrivenStart } from '../domain/delivery';
import { publishedHistory } from '../domain/redrive';
import type { DeliveryOutcome } from './apply-delivery-events';
import type { DeliveryWork } from './delivery-work';

/** The order's order.created has not been seen yet: retried, since it is on the same stream, earlier. */
class AddressUnknownError extends AppError {
  constructor(orderId: string) {
    super(`no address known yet for order ${orderId}`, { code: 'address_unknown', retryable: true });
  }
}

/**
 * An order went out for delivery: let the order's delivery decide (a second start, e.g. the same event
 * again, is refused), and record the new delivery with delivery.created and the simulator's step. A start
 * the order service re-drove finds the delivery it never heard of, and is answered with what it said.
 */
export function startDelivery(work: DeliveryWork, cause: Envelope<'order.status_changed'>): DeliveryOutcome {
  const orderId = cause.payload.order_id;
  const address = work.addressOf(orderId);
  if (address === undefined) throw new AddressUnknownError(orderId);
  const loaded = work.deliveryOf(orderId);
  const delivery = { id: randomUUID(), orderId, address };
  const events = decide({ type: 'StartDelivery', now: work.now, delivery }, loaded);
  if (!isRejection(events)) {
    work.record(loaded, events, cause);
    return { kind: 'started' };
  }
  if (!loaded || !isRedrivenStart(cause.payload)) return { kind: 'already_started' };
  const history = publishedHistory(loaded);
  work.publish(history, cause);
  return { kind: 'already_started', replayed: history.length };
}
