import type { ClientSession } from 'mongodb';
import { inTransaction, PoisonMessageError, type Envelope } from '@pizza/shared';
import { isRejection, type StepRejection } from '@pizza/shared/contract';
import { decide, evolveAll, type Order, type OrderCommand, type OrderEvent } from '../domain/order';
import { restock } from '../store/menu';
import { findOrders, saveOrders } from '../store/orders';
import type { OrdersContext } from './context';
import { envelopesOf, stockChanged } from './events';
import { authorize } from './read-order';

/** Who asks: another service's event, or the customer holding the order's token. */
export type Cause = { event: Envelope } | { token: string };
/** A command that changes a placed order's status; the use case adds the time. */
export type StatusCommand =
  Exclude<OrderCommand, { type: 'PlaceOrder' }> extends infer C
    ? C extends OrderCommand
      ? Omit<C, 'now'>
      : never
    : never;
export interface StatusChange {
  orderId: string;
  command: StatusCommand;
  cause: Cause;
}
export type Decided =
  | { kind: 'changed'; order: Order; events: readonly OrderEvent[] }
  | { kind: 'rejected'; reason: StepRejection; order: Order };

/**
 * Every status change of a placed order (the simulator's step, the delivery's progress, the customer's
 * cancel) is this one story, in one transaction: load the orders, let each decide in turn, save them with
 * their events. Many changes (one read of the bus) share the transaction, each seeing the ones before it.
 * A repeat (a redelivered or republished event) is refused by the order itself: its status only moves
 * forward, and its delivery summary too, so no inbox record is needed.
 */
export async function changeOrderStatus(
  ctx: OrdersContext,
  orderId: string,
  command: StatusCommand,
  cause: Cause,
): Promise<Decided> {
  const [decided] = await changeOrderStatuses(ctx, [{ orderId, command, cause }]);
  return decided!;
}

export async function changeOrderStatuses(
  ctx: OrdersContext,
  changes: readonly StatusChange[],
): Promise<Decided[]> {
  const decided = await inTransaction(ctx.mongo.client, (session) => applyChanges(ctx, session, changes));
  if (decided.some((d) => d.kind === 'changed' && d.events.length > 0)) ctx.outbox.wake();
  return decided;
}

async function applyChanges(
  ctx: OrdersContext,
  session: ClientSession,
  changes: readonly StatusChange[],
): Promise<Decided[]> {
  const now = ctx.clock();
  const loaded = await findOrders(ctx.c, changes.map((c) => c.orderId), session);
  const current = new Map(loaded);
  const envelopes: Envelope[] = [];
  const decided = changes.map(({ orderId, command, cause }): Decided => {
    const order = admit(current.get(orderId), orderId, cause);
    const events = decide({ ...command, now }, order);
    if (isRejection(events)) return { kind: 'rejected', reason: events.rejected, order };
    const changed = evolveAll(order, events);
    current.set(orderId, changed);
    envelopes.push(...envelopesOf(events, { source: ctx.source, now, orderId, cause: causeEvent(cause) }));
    return { kind: 'changed', order: changed, events };
  });
  await saveOrders(ctx.c, session, loaded, current);
  const restocked = await restock(ctx.c, session, decided.flatMap(stockGivenBack));
  await ctx.outbox.add(session, [...envelopes, ...stockChanged(restocked, { source: ctx.source, now })]);
  return decided;
}

/** A customer with a wrong id or token gets 404; an event about an order never made can never succeed. */
function admit(order: Order | undefined, orderId: string, cause: Cause): Order {
  if ('token' in cause) return authorize(order ?? null, cause.token);
  if (!order) throw new PoisonMessageError(`unknown order ${orderId}`);
  return order;
}

const causeEvent = (cause: Cause) => ('event' in cause ? cause.event : undefined);

/** A cancelled order's lines go back to stock, in the transaction that cancels it. */
const stockGivenBack = (decided: Decided) =>
  decided.kind === 'changed'
    ? decided.events.flatMap((e) => (e.type === 'order.cancelled' ? e.data.items : []))
    : [];
