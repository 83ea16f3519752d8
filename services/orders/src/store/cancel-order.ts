import { inTransaction, newEvent } from '@pizza/shared';
import type { OrderView } from '@pizza/shared/contract';
import { orderCancelled } from '../domain/events';
import { toOrderView } from '../domain/order';
import { decideTransition } from '../domain/transitions';
import { NotCancellableError } from '../errors';
import type { OrdersContext } from './context';
import { restock } from './menu';
import { findOrder, saveTransition } from './orders';
import { authorize } from './read-order';

/**
 * Cancels in one transaction: the guard (created or confirmed only), every line's stock given back, the
 * status and timeline, and `order.cancelled` in the outbox (the simulator stops on it).
 */
export async function cancelOrder(ctx: OrdersContext, id: string, token: string): Promise<OrderView> {
  const cancelled = await inTransaction(ctx.mongo.client, async (session) => {
    const order = authorize(await findOrder(ctx.c, id, session), token);
    const at = ctx.clock();
    const decision = decideTransition(order.status, 'cancelled', at);
    if (!decision.ok) throw new NotCancellableError(order.status);
    await restock(ctx.c, session, order.items);
    await saveTransition(ctx.c, session, { orderId: order._id, from: order.status, to: 'cancelled', at });
    const event = newEvent('order.cancelled', orderCancelled(order, at), {
      source: ctx.source,
      correlationId: order._id,
      now: at,
    });
    await ctx.outbox.add(session, [event]);
    return {
      ...order,
      status: decision.to,
      updated_at: at,
      timeline: [...order.timeline, decision.timelineEntry],
    };
  });
  ctx.outbox.wake();
  return toOrderView(cancelled);
}
