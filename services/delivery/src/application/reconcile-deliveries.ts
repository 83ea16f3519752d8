import {
  newEvent,
  redriveStalled,
  type ReconcileSettings,
  type RedrivePass,
  type Redriven,
} from '@pizza/shared';
import { SERVICE } from '../config';
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
  const pass: RedrivePass = {
    mongo: ctx.mongo,
    outbox: ctx.outbox,
    stalled: stalledDeliveries(ctx.mongo.db),
    statuses: UNFINISHED_DELIVERY_STATUSES,
    async plan(session, id, now) {
      const loaded = await findStoredDelivery(ctx.mongo.db, session, id);
      const redrive = loaded && redriveOf(loaded.delivery, loaded.redrivenAt, now, settings.stallMs);
      if (!loaded || !redrive) return null;
      // Correlated by the order, as everything the order causes; new ids, so no inbox drops the repeat.
      const correlationId = loaded.delivery.orderId;
      const events = redrive.events.map((e) =>
        newEvent(e.type, e.data, { source: SERVICE, now, correlationId }),
      );
      return {
        ...redrive,
        events,
        marks: { updatedAt: loaded.delivery.updatedAt, redrivenAt: loaded.redrivenAt },
      };
    },
  };
  return redriveStalled(pass, settings, ctx.clock());
}
