import type { ClientSession } from 'mongodb';
import { applyOnce, inTransaction, PoisonMessageError, type ApplyResult, type Envelope } from '@pizza/shared';
import { GROUPS, isRejection, type StepRejection } from '@pizza/shared/contract';
import { decide, evolveAll, type Order, type OrderCommand, type OrderEvent } from '../domain/order';
import { restock } from '../store/menu';
import { findOrder, saveOrder } from '../store/orders';
import type { OrdersContext } from './context';
import { envelopesOf } from './envelopes';
import { authorize } from './read-order';

/** Who asks: another service's event (applied once per event_id), or the customer holding the order's token. */
export type Cause = { event: Envelope } | { token: string };
/** A command that changes a placed order's status; the use case adds the time. */
export type StatusCommand =
  Exclude<OrderCommand, { type: 'PlaceOrder' }> extends infer C
    ? C extends OrderCommand
      ? Omit<C, 'now'>
      : never
    : never;
export type Decided =
  | { kind: 'changed'; order: Order; events: readonly OrderEvent[] }
  | { kind: 'rejected'; reason: StepRejection; order: Order };
/** The event was applied before: nothing was done again. */
export type Repeat = { kind: 'repeat' };

/**
 * Every status change of a placed order (the simulator's step, the delivery's progress, the customer's
 * cancel) is this one story, in one transaction: load the order, let it decide, save it with its events.
 */
export async function changeOrderStatus(
  ctx: OrdersContext,
  orderId: string,
  command: StatusCommand,
  cause: { token: string },
): Promise<Decided>;
export async function changeOrderStatus(
  ctx: OrdersContext,
  orderId: string,
  command: StatusCommand,
  cause: Cause,
): Promise<Decided | Repeat>;
export async function changeOrderStatus(
  ctx: OrdersContext,
  orderId: string,
  command: StatusCommand,
  cause: Cause,
): Promise<Decided | Repeat> {
  const outcome = await oneTransaction(ctx, cause, async (session): Promise<Decided> => {
    const now = ctx.clock();
    const order = admit(await findOrder(ctx.c, orderId, session), orderId, cause);
    const events = decide({ ...command, now }, order);
    if (isRejection(events)) return { kind: 'rejected', reason: events.rejected, order };
    if (events.length === 0) return { kind: 'changed', order, events };
    const changed = evolveAll(order, events);
    await saveOrder(ctx.c, session, order, changed);
    await restock(ctx.c, session, stockGivenBack(events));
    await ctx.outbox.add(
      session,
      envelopesOf(events, { source: ctx.source, now, orderId, cause: causeEvent(cause) }),
    );
    return { kind: 'changed', order: changed, events };
  });
  if (!outcome.applied) return { kind: 'repeat' };
  if (outcome.result.kind === 'changed' && outcome.result.events.length > 0) ctx.outbox.wake();
  return outcome.result;
}

/** Once per event_id (the inbox) when an event asks; a plain transaction when the customer does. */
async function oneTransaction<T>(
  ctx: OrdersContext,
  cause: Cause,
  work: (session: ClientSession) => Promise<T>,
): Promise<ApplyResult<T>> {
  if ('token' in cause) return { applied: true, result: await inTransaction(ctx.mongo.client, work) };
  return applyOnce(ctx.mongo, { group: GROUPS.orders, eventId: cause.event.event_id }, work);
}

/** A customer with a wrong id or token gets 404; an event about an order never made can never succeed. */
function admit(order: Order | null, orderId: string, cause: Cause): Order {
  if ('token' in cause) return authorize(order, cause.token);
  if (!order) throw new PoisonMessageError(`unknown order ${orderId}`);
  return order;
}

const causeEvent = (cause: Cause) => ('event' in cause ? cause.event : undefined);

/** A cancelled order's lines go back to stock, in the transaction that cancels it. */
const stockGivenBack = (events: readonly OrderEvent[]) =>
  events.flatMap((e) => (e.type === 'order.cancelled' ? e.data.items : []));
