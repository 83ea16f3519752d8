import { randomUUID } from 'node:crypto';
import { AppError, applyOnce, isDuplicateKey, type Envelope } from '@pizza/shared';
import { GROUPS, isRejection } from '@pizza/shared/contract';
import { decide } from '../domain/delivery';
import type { DeliveryContext } from './context';
import { saveDelivery } from './save-delivery';

/** The order's order.created has not been seen yet: retried, since it is on the same stream, earlier. */
class AddressUnknownError extends AppError {
  constructor(orderId: string) {
    super(`no address known yet for order ${orderId}`, { code: 'address_unknown', retryable: true });
  }
}

export type StartOutcome = 'started' | 'already_started' | 'repeat';

/**
 * An order went out for delivery: in one transaction, once per event, load the order's delivery, let it
 * decide (a second start is refused), save the new delivery with delivery.created and the simulator's step.
 */
export async function startDelivery(
  ctx: DeliveryContext,
  cause: Envelope<'order.status_changed'>,
): Promise<StartOutcome> {
  const orderId = cause.payload.order_id;
  try {
    const outcome = await applyOnce(
      ctx.mongo,
      { group: GROUPS.delivery, eventId: cause.event_id },
      async (session) => {
        const address = await ctx.store.addressOf(session, orderId);
        if (address === undefined) throw new AddressUnknownError(orderId);
        const [loaded, now] = [await ctx.store.findByOrder(session, orderId), ctx.clock()];
        const events = decide(
          { type: 'StartDelivery', now, delivery: { id: randomUUID(), orderId, address } },
          loaded,
        );
        if (isRejection(events)) return 'already_started';
        await saveDelivery(ctx, session, { loaded, events, cause, now });
        return 'started';
      },
    );
    if (!outcome.applied) return 'repeat';
    if (outcome.result === 'started') {
      ctx.afterCreateCommit?.();
      ctx.outbox.wake();
    }
    return outcome.result;
  } catch (error) {
    // Another event for this order created it at the same moment: the unique index on order_id keeps it to one.
    if (!isDuplicateKey(error)) throw error;
    return 'already_started';
  }
}
