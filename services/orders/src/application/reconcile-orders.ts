import { redriveStalled, type ReconcileSettings, type RedrivePass, type Redriven } from '@pizza/shared';
import { redriveOf, UNFINISHED_ORDER_STATUSES } from '../domain/redrive';
import { findStoredOrder, stalledOrders } from '../store/stalled-orders';
import type { OrdersContext } from './context';
import { envelopesOf } from './envelopes';

/**
 * One pass of the order service's reconciler: the domain says whether and how a stalled order is re-driven;
 * the pass (shared) finds, claims and writes.
 */
export async function reconcileOrders(
  ctx: OrdersContext,
  settings: Pick<ReconcileSettings, 'stallMs' | 'batchSize'>,
): Promise<Redriven[]> {
  const pass: RedrivePass = {
    mongo: ctx.mongo,
    outbox: ctx.outbox,
    stalled: stalledOrders(ctx.mongo.db),
    statuses: UNFINISHED_ORDER_STATUSES,
    async plan(session, id, now) {
      const order = await findStoredOrder(ctx.mongo.db, session, id);
      const redrive = order && redriveOf(order, order.redriven_at, now, settings.stallMs);
      if (!order || !redrive) return null;
      // New events (new ids): the originals are gone, and an inbox that saw them must not drop the repeat.
      const events = envelopesOf(redrive.events, { source: ctx.source, now, orderId: id });
      return { ...redrive, events, marks: { updatedAt: order.updated_at, redrivenAt: order.redriven_at } };
    },
  };
  return redriveStalled(pass, settings, ctx.clock());
}
