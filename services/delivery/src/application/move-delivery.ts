import { PoisonMessageError, type Envelope } from '@pizza/shared';
import { isRejection } from '@pizza/shared/contract';
import { decide } from '../domain/delivery';
import type { DeliveryOutcome } from './apply-delivery-events';
import type { DeliveryWork } from './delivery-work';

/**
 * The simulator moved a delivery on: let the delivery decide, and record delivery.status_changed (and the
 * simulator's next step). A refused step (a repeat of the same event among them) changes nothing.
 */
export function moveDelivery(
  work: DeliveryWork,
  cause: Envelope<'delivery.status_simulated'>,
): DeliveryOutcome {
  const { delivery_id, order_id, status } = cause.payload;
  const loaded = work.delivery(delivery_id);
  // The delivery and the request for this status were committed together: its absence is a contradiction.
  if (!loaded) throw new PoisonMessageError(`no delivery ${delivery_id}`);
  if (loaded.orderId !== order_id)
    throw new PoisonMessageError(`delivery ${delivery_id} is not for order ${order_id}`);
  const events = decide({ type: 'ApplySimulatedStatus', now: work.now, status }, loaded);
  if (isRejection(events))
    return { kind: 'rejected', reason: events.rejected, deliveryId: delivery_id, status };
  work.record(loaded, events, cause);
  return { kind: 'moved', to: status };
}
