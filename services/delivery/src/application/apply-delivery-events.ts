import { inTransaction, isDuplicateKey, type Envelope } from '@pizza/shared';
import { startsDelivery } from '../domain/delivery';
import type { DeliveryContext } from './context';
import { DeliveryWork } from './delivery-work';
import { moveDelivery, type MoveOutcome } from './move-delivery';
import { startDelivery, type StartOutcome } from './start-delivery';

export type DeliveryCause = Envelope<'order.created' | 'order.status_changed' | 'delivery.status_simulated'>;
export type DeliveryOutcome = { kind: 'remembered' } | { kind: 'not_ours' } | StartOutcome | MoveOutcome;

/**
 * The events of one read, in one transaction: load every delivery and address they need in one go, let
 * each event take its step in order, save everything with one bulk write per collection and the events in
 * one insert. A repeat is refused by the delivery itself (no second start, no step at or behind where it
 * is); a remembered address keeps its first value. So no inbox record is needed.
 */
export async function applyDeliveryEvents(
  ctx: DeliveryContext,
  events: readonly DeliveryCause[],
): Promise<DeliveryOutcome[]> {
  let outcomes: DeliveryOutcome[];
  try {
    outcomes = await inTransaction(ctx.mongo.client, async (session) => {
      const work = await DeliveryWork.load(ctx.store, session, ctx.clock(), wanted(events));
      const stepped = events.map((event) => step(work, event));
      await work.save(ctx, session);
      return stepped;
    });
  } catch (error) {
    // Another replica started this order's delivery at the same moment: the unique index keeps it to one.
    const [only] = events;
    if (isDuplicateKey(error) && events.length === 1 && only?.event_type === 'order.status_changed')
      return [{ kind: 'already_started' }];
    throw error;
  }
  if (outcomes.some((o) => o.kind === 'started')) ctx.afterCreateCommit?.();
  if (outcomes.some((o) => o.kind === 'started' || o.kind === 'moved')) ctx.outbox.wake();
  return outcomes;
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
