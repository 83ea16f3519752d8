import type { ClientSession } from 'mongodb';
import type { Envelope } from '@pizza/shared';
import type { DeliveryStatus } from '@pizza/shared/contract';
import { completesOrder, nextDeliverySummary } from '../domain/delivery';
import type { TransitionDecision } from '../domain/transitions';
import type { OrdersContext } from './context';
import { saveDelivery } from './orders';
import { loadOrderFor, transitionOrder } from './transition-order';

/**
 * Inside the caller's transaction: brings the order's delivery summary forward (never back) and, when the
 * delivery is delivered, moves the order to `delivered`. Returns the status decision, if one was made.
 */
export async function recordDelivery(
  ctx: OrdersContext,
  session: ClientSession,
  input: { orderId: string; deliveryId: string; status: DeliveryStatus; at: string; cause: Envelope },
): Promise<TransitionDecision | null> {
  const order = await loadOrderFor(ctx, session, input.orderId);
  const summary = nextDeliverySummary(order.delivery, {
    deliveryId: input.deliveryId,
    status: input.status,
    at: new Date(input.at),
  });
  if (!summary) return null;
  await saveDelivery(ctx.c, session, { orderId: order._id, delivery: summary, at: ctx.clock() });
  if (!completesOrder(summary.status)) return null;
  return transitionOrder(ctx, session, { order, to: 'delivered', cause: input.cause });
}
