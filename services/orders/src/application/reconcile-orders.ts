import { inTransaction, type ReconcileSettings, type Redriven } from '@pizza/shared';
import { redriveOf, UNFINISHED_ORDER_STATUSES } from '../domain/redrive';
import { findStoredOrder, stalledOrders } from '../store/stalled-orders';
import type { OrdersContext } from './context';
import { envelopesOf } from './envelopes';

/**
 * One pass of the order service's reconciler: every unfinished order that made no progress within the stall
 * bound (a batch at most) is re-driven. For each, in one transaction: load it, let the domain say whether and
 * how it is re-driven, claim it (so one replica re-drives it per bound), and write the events to the outbox.
 */
export async function reconcileOrders(
  ctx: OrdersContext,
  settings: Pick<ReconcileSettings, 'stallMs' | 'batchSize'>,
): Promise<Redriven[]> {
  const now = ctx.clock();
  const before = new Date(now.getTime() - settings.stallMs);
  const ids = await stalledOrders(ctx.mongo.db).find({
    statuses: UNFINISHED_ORDER_STATUSES,
    before,
    limit: settings.batchSize,
  });
  const redriven: Redriven[] = [];
  for (const id of ids) {
    const done = await redriveOrder(ctx, id, now, settings.stallMs);
    if (done) redriven.push(done);
  }
  if (redriven.length > 0) ctx.outbox.wake();
  return redriven;
}

async function redriveOrder(
  ctx: OrdersContext,
  id: string,
  now: Date,
  stallMs: number,
): Promise<Redriven | null> {
  return inTransaction(ctx.mongo.client, async (session) => {
    const order = await findStoredOrder(ctx.mongo.db, session, id);
    const redrive = order && redriveOf(order, order.redriven_at, now, stallMs);
    if (!order || !redrive) return null;
    const loaded = { id, updatedAt: order.updated_at, redrivenAt: order.redriven_at };
    if (!(await stalledOrders(ctx.mongo.db).markRedriven(session, loaded, now))) return null;
    // New events (new ids): the originals are gone, and an inbox that saw them must not drop the repeat.
    await ctx.outbox.add(session, envelopesOf(redrive.events, { source: ctx.source, now, orderId: id }));
    return { id, step: redrive.step, stalledMs: redrive.stalledMs };
  });
}
