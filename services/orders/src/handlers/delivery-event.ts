import { applyOnce, type Envelope, type Handler } from '@pizza/shared';
import { GROUPS } from '@pizza/shared/contract';
import type { OrdersContext } from '../store/context';
import { recordDelivery } from '../store/record-delivery';
import { afterTransition } from '../store/transition-order';

/**
 * delivery.created (the delivery service took the order on) and delivery.status_changed (the delivery moved
 * on), once per event_id: the order's delivery summary follows (never back), and `delivered` completes it.
 */
export function onDeliveryEvent<T extends 'delivery.created' | 'delivery.status_changed'>(
  ctx: OrdersContext,
): Handler<T> {
  return async (event) => {
    const { order_id, delivery_id, status, at } = event.payload;
    const outcome = await applyOnce(ctx.mongo, { group: GROUPS.orders, eventId: event.event_id }, (session) =>
      recordDelivery(ctx, session, {
        orderId: order_id,
        deliveryId: delivery_id,
        status,
        at,
        cause: event as Envelope,
      }),
    );
    if (outcome.applied) afterTransition(ctx, outcome.result);
  };
}
