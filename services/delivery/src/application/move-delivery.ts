import { applyOnce, PoisonMessageError, type Envelope } from '@pizza/shared';
import { GROUPS, isRejection, type DeliveryStatus, type StepRejection } from '@pizza/shared/contract';
import { decide } from '../domain/delivery';
import type { DeliveryContext } from './context';
import { saveDelivery } from './save-delivery';

export type MoveOutcome =
  { kind: 'moved'; to: DeliveryStatus } | { kind: 'rejected'; reason: StepRejection } | { kind: 'repeat' };

/**
 * The simulator moved a delivery on: in one transaction, once per event, load the delivery, let it decide,
 * save it with delivery.status_changed (and the simulator's next step). A refused step changes nothing.
 */
export async function moveDelivery(
  ctx: DeliveryContext,
  cause: Envelope<'delivery.status_simulated'>,
): Promise<MoveOutcome> {
  const { delivery_id, order_id, status } = cause.payload;
  const outcome = await applyOnce(
    ctx.mongo,
    { group: GROUPS.delivery, eventId: cause.event_id },
    async (session) => {
      const loaded = await ctx.store.findById(session, delivery_id);
      // The delivery and the request for this status were committed together: its absence is a contradiction.
      if (!loaded) throw new PoisonMessageError(`no delivery ${delivery_id}`);
      if (loaded.orderId !== order_id)
        throw new PoisonMessageError(`delivery ${delivery_id} is not for order ${order_id}`);
      const now = ctx.clock();
      const events = decide({ type: 'ApplySimulatedStatus', now, status }, loaded);
      if (isRejection(events)) return { kind: 'rejected', reason: events.rejected } as const;
      await saveDelivery(ctx, session, { loaded, events, cause, now });
      return { kind: 'moved', to: status } as const;
    },
  );
  if (!outcome.applied) return { kind: 'repeat' };
  if (outcome.result.kind === 'moved') ctx.outbox.wake();
  return outcome.result;
}
