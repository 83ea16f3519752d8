import { inTransaction, newEvent, type ReconcileSettings, type Redriven } from '@pizza/shared';
import { SERVICE } from '../config';
import { redriveOf, UNFINISHED_DELIVERY_STATUSES } from '../domain/redrive';
import { findStoredDelivery, stalledDeliveries } from '../store/stalled-deliveries';
import type { DeliveryContext } from './context';

/**
 * One pass of the delivery service's reconciler: every unfinished delivery that made no progress within the
 * stall bound (a batch at most) is re-driven. For each, in one transaction: load it, let the domain say
 * whether and how, claim it (one replica re-drives it per bound), and write the events to the outbox.
 */
export async function reconcileDeliveries(
  ctx: DeliveryContext,
  settings: Pick<ReconcileSettings, 'stallMs' | 'batchSize'>,
): Promise<Redriven[]> {
  const now = ctx.clock();
  const before = new Date(now.getTime() - settings.stallMs);
  const ids = await stalledDeliveries(ctx.mongo.db).find({
    statuses: UNFINISHED_DELIVERY_STATUSES,
    before,
    limit: settings.batchSize,
  });
  const redriven: Redriven[] = [];
  for (const id of ids) {
    const done = await redriveDelivery(ctx, id, now, settings.stallMs);
    if (done) redriven.push(done);
  }
  if (redriven.length > 0) ctx.outbox.wake();
  return redriven;
}

async function redriveDelivery(
  ctx: DeliveryContext,
  id: string,
  now: Date,
  stallMs: number,
): Promise<Redriven | null> {
  return inTransaction(ctx.mongo.client, async (session) => {
    const loaded = await findStoredDelivery(ctx.mongo.db, session, id);
    const redrive = loaded && redriveOf(loaded.delivery, loaded.redrivenAt, now, stallMs);
    if (!loaded || !redrive) return null;
    const marks = { id, updatedAt: loaded.delivery.updatedAt, redrivenAt: loaded.redrivenAt };
    if (!(await stalledDeliveries(ctx.mongo.db).markRedriven(session, marks, now))) return null;
    // Correlated by the order, as everything the order causes; new ids, so no inbox drops the repeat.
    const correlationId = loaded.delivery.orderId;
    await ctx.outbox.add(
      session,
      redrive.events.map((e) => newEvent(e.type, e.data, { source: SERVICE, now, correlationId })),
    );
    return { id, step: redrive.step, stalledMs: redrive.stalledMs };
  });
}
