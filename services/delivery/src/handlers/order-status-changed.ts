import { randomUUID } from 'node:crypto';
import { AppError, applyOnce, childEvent, isDuplicateKey, type Handler } from '@pizza/shared';
import { GROUPS } from '@pizza/shared/contract';
import { FIRST_STEP, newDelivery, startsDelivery } from '../domain/delivery';
import { SERVICE } from '../config';
import type { DeliveryContext } from './context';

/** The order's order.created has not been seen yet: retried, since it is on the same stream, earlier. */
class AddressUnknownError extends AppError {
  constructor(orderId: string) {
    super(`no address known yet for order ${orderId}`, { code: 'address_unknown', retryable: true });
  }
}

/**
 * order.status_changed to out_for_delivery → one delivery (waiting) for the order, with delivery.created and
 * delivery.simulate in the same transaction. Other statuses are not this service's business.
 */
export function onOrderStatusChanged(ctx: DeliveryContext): Handler<'order.status_changed'> {
  return async (event, hctx) => {
    if (!startsDelivery(event.payload.status)) return;
    const orderId = event.payload.order_id;
    let created = false;
    try {
      const outcome = await applyOnce(
        ctx.mongo,
        { group: GROUPS.delivery, eventId: event.event_id },
        async (session) => {
          const address = await ctx.store.addressOf(session, orderId);
          if (address === undefined) throw new AddressUnknownError(orderId);
          const delivery = newDelivery({ id: randomUUID(), orderId, address, now: ctx.clock() });
          await ctx.store.insert(session, delivery);
          const origin = { source: SERVICE, now: delivery.createdAt };
          const at = delivery.createdAt.toISOString();
          await ctx.outbox.add(session, [
            childEvent(
              event,
              'delivery.created',
              { delivery_id: delivery.id, order_id: orderId, status: 'waiting', address, at },
              origin,
            ),
            childEvent(
              event,
              'delivery.simulate',
              { delivery_id: delivery.id, order_id: orderId, next_status: FIRST_STEP },
              origin,
            ),
          ]);
        },
      );
      created = outcome.applied;
    } catch (error) {
      // Another event for this order created it, earlier or at the same moment: the unique index on order_id
      // keeps it to one, and this event is acknowledged without effect.
      if (!isDuplicateKey(error)) throw error;
      hctx.logger.info({ order_id: orderId }, 'delivery already created by another event');
    }
    if (!created) return;
    ctx.metrics.created.inc();
    ctx.afterCreateCommit?.();
    ctx.outbox.wake();
  };
}
