import { inTransaction, isDuplicateKey, type Envelope } from '@pizza/shared';
import type { DeliveryStatus, StepRejection } from '@pizza/shared/contract';
import { startsDelivery } from '../domain/delivery';
import type { DeliveryContext } from './context';
import { DeliveryWork } from './delivery-work';
import { moveDelivery } from './move-delivery';
import { startDelivery } from './start-delivery';

export type DeliveryCause = Envelope<'order.created' | 'order.status_changed' | 'delivery.status_simulated'>;
export type DeliveryOutcome =
  | { kind: 'remembered' }
  | { kind: 'not_ours' }
  | { kind: 'started' }
  /** `replayed`: how many of its events a re-driven start had said again (absent: a plain repeat). */
  | { kind: 'already_started'; replayed?: number }
  | { kind: 'moved'; to: DeliveryStatus }
  | { kind: 'rejected'; reason: StepRejection; deliveryId: string; status: DeliveryStatus };

/**
 * The events of one read, in one transaction: load every delivery and address they need in one go, let
 * each event take its step in order, save everything with one bulk write per collection and the events in
 * one insert. A repeat is refused by the delivery itself (no second start, no step at or behind where it
 * is); a remembered address keeps its first value. So no inbox record is needed. Another replica starting
 * one of these deliveries at the same moment is held off by the unique index: the read is applied once
 * more, and finds that delivery.
 */
export async function applyDeliveryEvents(
  ctx: DeliveryContext,
  events: readonly DeliveryCause[],
  again = false,
): Promise<DeliveryOutcome[]> {
  let applied: { outcomes: DeliveryOutcome[]; changed: boolean };
  try {
    applied = await inTransaction(ctx.mongo.client, async (session) => {
      const work = await DeliveryWork.load(ctx.store, session, ctx.clock(), wanted(events));
      const outcomes = events.map((event) => step(work, event));
      await work.save(ctx, session);
      return { outcomes, changed: work.changed };
    });
  } catch (error) {
    if (isDuplicateKey(error) && !again) return applyDeliveryEvents(ctx, events, true);
    throw error;
  }
  if (applied.outcomes.some((o) => o.kind === 'started')) ctx.afterCreateCommit?.();
  if (applied.changed) ctx.outbox.wake();
  return applied.outcomes;
}

function step(work: DeliveryWork, event: DeliveryCause): DeliveryOutcome {
  switch (event.event_type) {
    case 'order.created':
      work.rememberAddress(event.payload.order_id, event.payload.customer.address);
      return { kind: 'remembered' };
    case 'order.status_changed':
      return startsDelivery(event.payload.status) ? startDelivery(work, event) : { kind: 'not_ours' };
    case 'delivery.status_simulated':
      return moveDelivery(work, event);
  }
}

/** What the events need loaded: the deliveries they move, and the deliveries and addresses of those they start. */
function wanted(events: readonly DeliveryCause[]) {
  const deliveryIds: string[] = [];
  const orderIds: string[] = [];
  for (const event of events) {
    if (event.event_type === 'delivery.status_simulated') deliveryIds.push(event.payload.delivery_id);
    if (event.event_type === 'order.status_changed' && startsDelivery(event.payload.status))
      orderIds.push(event.payload.order_id);
  }
  return { deliveryIds, orderIds };
}
