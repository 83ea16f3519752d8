import { applyOnce, childEvent, PoisonMessageError, type Envelope, type Handler } from '@pizza/shared';
import type { ClientSession } from 'mongodb';
import { GROUPS, type EventPayload } from '@pizza/shared/contract';
import { SERVICE } from '../config';
import { decideTransition, previousStatus, type TransitionDecision } from '../domain/delivery';
import type { DeliveryContext } from './context';

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
        // One guarded update from the status that must come before; the delivery is read only when it is refused.
        const from = previousStatus(status);
        const step = from === null ? undefined : decideTransition(from, status, ctx.clock());
        if (
          step?.kind !== 'apply' ||
          !(await ctx.store.moveStatus(session, { id: delivery_id, orderId: order_id }, step))
        )
          return refusal(ctx, session, event.payload);
        const decision = step;
        const origin = { source: SERVICE, now: decision.at };
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

/** Why a reported status was not applied: read only after the guarded update refused it. */
async function refusal(
  ctx: DeliveryContext,
  session: ClientSession,
  { delivery_id, order_id, status }: EventPayload<'delivery.status_simulated'>,
): Promise<TransitionDecision> {
  const delivery = await ctx.store.findById(session, delivery_id);
  // The delivery and the request for this status were committed together: its absence is a contradiction.
  if (!delivery) throw new PoisonMessageError(`no delivery ${delivery_id}`);
  if (delivery.orderId !== order_id)
    throw new PoisonMessageError(`delivery ${delivery_id} is not for order ${order_id}`);
  const decision = decideTransition(delivery.status, status, ctx.clock());
  if (decision.kind === 'apply') throw new Error('delivery changed concurrently');
  return decision;
}
