import { childEvent, inTransaction, type Envelope } from '@pizza/shared';
import { SERVICE } from '../config';
import { publishedHistory } from '../domain/redrive';
import type { DeliveryContext } from './context';

/**
 * An order that already has a delivery went out for delivery again: the order service re-drove it, because
 * it heard nothing of the delivery for too long (those events were lost). The answer is the delivery's
 * published history again, as children of that event; the order and the gateway take what they missed and
 * drop the rest as repeats. Returns how many events were written.
 */
export async function replayDelivery(
  ctx: DeliveryContext,
  cause: Envelope<'order.status_changed'>,
): Promise<number> {
  const now = ctx.clock();
  const written = await inTransaction(ctx.mongo.client, async (session) => {
    const [delivery] = await ctx.store.findMany(session, [], [cause.payload.order_id]);
    const events = delivery ? publishedHistory(delivery) : [];
    await ctx.outbox.add(
      session,
      events.map((e) => childEvent(cause, e.type, e.data, { source: SERVICE, now })),
    );
    return events.length;
  });
  if (written > 0) ctx.outbox.wake();
  return written;
}
