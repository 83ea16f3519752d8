import { applyOnce, childEvent, PoisonMessageError, type Envelope, type Handler } from '@pizza/shared';
import { GROUPS } from '@pizza/shared/contract';
import { decideTransition } from '../domain/delivery';
import { SOURCE, type DeliveryContext } from './context';

/**
 * delivery.status_simulated → the guarded transition, delivery.status_changed, and (after on_the_way) a
 * delivery.simulate for the next step, all in one transaction.
 */
export function onDeliveryStatusSimulated(ctx: DeliveryContext): Handler<'delivery.status_simulated'> {
  return async (event, hctx) => {
    const { delivery_id, order_id, status } = event.payload;
    const outcome = await applyOnce(
      ctx.mongo,
      { group: GROUPS.delivery, eventId: event.event_id },
      async (session) => {
        const delivery = await ctx.store.findById(session, delivery_id);
        // The delivery and the request for this status were committed together: its absence is a contradiction.
        if (!delivery) throw new PoisonMessageError(`no delivery ${delivery_id}`);
        if (delivery.orderId !== order_id)
          throw new PoisonMessageError(`delivery ${delivery_id} is not for order ${order_id}`);
        const decision = decideTransition(delivery.status, status, ctx.clock());
        if (decision.kind === 'ignore') return decision;
        if (!(await ctx.store.moveStatus(session, delivery_id, decision)))
          throw new Error('delivery changed concurrently');
        const origin = { source: SOURCE, now: decision.at };
        const events: Envelope[] = [
          childEvent(
            event,
            'delivery.status_changed',
            {
              delivery_id,
              order_id,
              from: decision.from,
              status: decision.to,
              at: decision.at.toISOString(),
            },
            origin,
          ),
        ];
        if (decision.next === 'delivered') {
          events.push(
            childEvent(
              event,
              'delivery.simulate',
              { delivery_id, order_id, next_status: decision.next },
              origin,
            ),
          );
        }
        await ctx.outbox.add(session, events);
        return decision;
      },
    );
    if (!outcome.applied) return;
    const decision = outcome.result;
    if (decision.kind === 'ignore') {
      ctx.metrics.ignored.inc({ reason: decision.reason });
      hctx.logger.info({ delivery_id, status, reason: decision.reason }, 'delivery status not applied');
      return;
    }
    ctx.metrics.transitions.inc({ to: decision.to });
    ctx.outbox.wake();
  };
}
