import { applyOnce, type Handler } from '@pizza/shared';
import { GROUPS } from '@pizza/shared/contract';
import type { OrdersContext } from '../store/context';
import { recordDelivery } from '../store/record-delivery';
import { afterTransition } from '../store/transition-order';

/** The delivery moved on: the summary follows (never back), and `delivered` completes the order. */
export function onDeliveryStatusChanged(ctx: OrdersContext): Handler<'delivery.status_changed'> {
  return async (event) => {
    const { order_id, delivery_id, status, at } = event.payload;
    const outcome = await applyOnce(ctx.mongo, { group: GROUPS.orders, eventId: event.event_id }, (session) =>
      recordDelivery(ctx, session, { orderId: order_id, deliveryId: delivery_id, status, at, cause: event }),
    );
    if (outcome.applied) afterTransition(ctx, outcome.result);
  };
}
