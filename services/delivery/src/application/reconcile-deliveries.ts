import { redriveStalled, type ReconcileSettings, type Redriven } from '@pizza/shared';
import { SERVICE } from '../config';
import type { Delivery } from '../domain/delivery';
import { redriveOf, UNFINISHED_DELIVERY_STATUSES } from '../domain/redrive';
import { findStoredDelivery, stalledDeliveries } from '../store/stalled-deliveries';
import type { DeliveryContext } from './context';

/**
 * One pass of the delivery service's reconciler: the domain says whether and how a stalled delivery is
 * re-driven; the pass (shared) finds, claims and writes.
 */
export async function reconcileDeliveries(
  ctx: DeliveryContext,
  settings: Pick<ReconcileSettings, 'stallMs' | 'batchSize'>,
): Promise<Redriven[]> {
  return redriveStalled<Delivery>(settings, {
    ...ctx,
    source: SERVICE,
    stalled: stalledDeliveries(ctx.mongo.db),
    statuses: UNFINISHED_DELIVERY_STATUSES,
    async load(session, id) {
      const stored = await findStoredDelivery(ctx.mongo.db, session, id);
      if (!stored) return null;
      const { delivery, redrivenAt } = stored;
      // Correlated by the order, as everything the order causes.
      const marks = { updatedAt: delivery.updatedAt, redrivenAt };
      return { aggregate: delivery, marks, correlationId: delivery.orderId };
    },
    redrive: redriveOf,
  });
}
