import { applyOnce, type Handler } from '@pizza/shared';
import { GROUPS } from '@pizza/shared/contract';
import type { OrdersContext } from '../store/context';
import { afterTransition, loadOrderFor, transitionOrder } from '../store/transition-order';

/**
 * The simulator moved an order on: apply it once per event_id through the transition table. A refused
 * move (a skip, a step back, a stale repeat, or an order already cancelled) is counted and acked.
 */
export function onOrderStatusSimulated(ctx: OrdersContext): Handler<'order.status_simulated'> {
  return async (event) => {
    const outcome = await applyOnce(
      ctx.mongo,
      { group: GROUPS.orders, eventId: event.event_id },
      async (session) => {
        const order = await loadOrderFor(ctx, session, event.payload.order_id);
        return transitionOrder(ctx, session, { order, to: event.payload.status, cause: event });
      },
    );
    if (outcome.applied) afterTransition(ctx, outcome.result);
  };
}
