import { randomUUID } from 'node:crypto';
import { AppError, inTransaction, isDuplicateKey, PoisonMessageError, type Envelope } from '@pizza/shared';
import { isRejection, type DeliveryStatus, type StepRejection } from '@pizza/shared/contract';
import { decide, isRedrivenStart, startsDelivery } from '../domain/delivery';
import { publishedHistory } from '../domain/redrive';
import type { DeliveryContext } from './context';
import { DeliveryWork } from './delivery-work';

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

/** The order's order.created has not been seen yet: retried, since it is on the same stream, earlier. */
class AddressUnknownError extends AppError {
  constructor(orderId: string) {
    super(`no address known yet for order ${orderId}`, { code: 'address_unknown', retryable: true });
  }
}

/**
 * An order went out for delivery: let the order's delivery decide (a second start, e.g. the same event
 * again, is refused), and record the new delivery with delivery.created and the simulator's step. A start
 * the order service re-drove finds the delivery it never heard of, and is answered with what it said.
 */
function startDelivery(work: DeliveryWork, cause: Envelope<'order.status_changed'>): DeliveryOutcome {
  const orderId = cause.payload.order_id;
  const address = work.addressOf(orderId);
  if (address === undefined) throw new AddressUnknownError(orderId);
  const loaded = work.deliveryOf(orderId);
  const delivery = { id: randomUUID(), orderId, address };
  const events = decide({ type: 'StartDelivery', now: work.now, delivery }, loaded);
  if (!isRejection(events)) {
    work.record(loaded, events, cause);
    return { kind: 'started' };
  }
  if (!loaded || !isRedrivenStart(cause.payload)) return { kind: 'already_started' };
  const history = publishedHistory(loaded);
  work.publish(history, cause);
  return { kind: 'already_started', replayed: history.length };
}

/**
 * The simulator moved a delivery on: let the delivery decide, and record delivery.status_changed (and the
 * simulator's next step). A refused step (a repeat of the same event among them) changes nothing.
 */
function moveDelivery(work: DeliveryWork, cause: Envelope<'delivery.status_simulated'>): DeliveryOutcome {
  const { delivery_id, order_id, status } = cause.payload;
  const loaded = work.delivery(delivery_id);
  // The delivery and the request for this status were committed together: its absence is a contradiction.
  if (!loaded) throw new PoisonMessageError(`no delivery ${delivery_id}`);
  if (loaded.orderId !== order_id)
    throw new PoisonMessageError(`delivery ${delivery_id} is not for order ${order_id}`);
  const events = decide({ type: 'ApplySimulatedStatus', now: work.now, status }, loaded);
  if (isRejection(events))
    return { kind: 'rejected', reason: events.rejected, deliveryId: delivery_id, status };
  work.record(loaded, events, cause);
  return { kind: 'moved', to: status };
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
