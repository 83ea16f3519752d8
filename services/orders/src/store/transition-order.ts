import type { ClientSession } from 'mongodb';
import { childEvent, PoisonMessageError, type Envelope } from '@pizza/shared';
import type { OrderStatus } from '@pizza/shared/contract';
import { orderSimulate, orderStatusChanged } from '../domain/events';
import { decideTransition, type TransitionDecision } from '../domain/transitions';
import type { Order } from '../domain/order';
import type { OrdersContext } from './context';
import { findOrder, saveTransition } from './orders';

/** Loads an order in the transaction; an event about an order we never made can never succeed. */
export async function loadOrderFor(
  ctx: OrdersContext,
  session: ClientSession,
  orderId: string,
): Promise<Order> {
  const order = await findOrder(ctx.c, orderId, session);
  if (!order) throw new PoisonMessageError(`unknown order ${orderId}`);
  return order;
}

/**
 * Inside the caller's transaction: asks the transition table whether `order` may move to `to`; if so,
 * saves the status and timeline and writes `order.status_changed` (and the simulator's next step) to the
 * outbox as children of `cause`. A refused move changes nothing; the decision says why.
 */
export async function transitionOrder(
  ctx: OrdersContext,
  session: ClientSession,
  input: { order: Order; to: OrderStatus; cause: Envelope },
): Promise<TransitionDecision> {
  const at = ctx.clock();
  const decision = decideTransition(input.order.status, input.to, at);
  if (!decision.ok) return decision;
  const orderId = input.order._id;
  await saveTransition(ctx.c, session, { orderId, from: decision.from, to: decision.to, at });
  const origin = { source: ctx.source, now: at };
  const events: Envelope[] = [
    childEvent(
      input.cause,
      'order.status_changed',
      orderStatusChanged(orderId, decision.from, decision.to, at),
      origin,
    ),
  ];
  if (decision.simulateNext) {
    events.push(
      childEvent(input.cause, 'order.simulate', orderSimulate(orderId, decision.simulateNext), origin),
    );
  }
  await ctx.outbox.add(session, events);
  return decision;
}

/** After the commit: wake the relay for an applied change, count a refused one. */
export function afterTransition(ctx: OrdersContext, decision: TransitionDecision | null): void {
  if (!decision) return;
  if (decision.ok) ctx.outbox.wake();
  else ctx.metrics.transitionsRejected.inc({ reason: decision.reason });
}
