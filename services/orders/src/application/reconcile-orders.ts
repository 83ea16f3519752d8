import { redriveStalled, type ReconcileSettings, type Redriven } from '@pizza/shared';
import type { Order } from '../domain/order';
import { redriveOf, UNFINISHED_ORDER_STATUSES } from '../domain/redrive';
import { findStoredOrder, stalledOrders } from '../store/stalled-orders';
import type { OrdersContext } from './context';

/**
 * One pass of the order service's reconciler: the domain says whether and how a stalled order is re-driven;
 * the pass (shared) finds, claims and writes.
 */
export async function reconcileOrders(
  ctx: OrdersContext,
  settings: Pick<ReconcileSettings, 'stallMs' | 'batchSize'>,
): Promise<Redriven[]> {
  return redriveStalled<Order>(settings, {
    ...ctx,
    stalled: stalledOrders(ctx.mongo.db),
    statuses: UNFINISHED_ORDER_STATUSES,
    async load(session, id) {
      const order = await findStoredOrder(ctx.mongo.db, session, id);
      if (!order) return null;
      const marks = { updatedAt: order.updated_at, redrivenAt: order.redriven_at };
      return { aggregate: order, marks, correlationId: order._id };
    },
    redrive: redriveOf,
  });
}
