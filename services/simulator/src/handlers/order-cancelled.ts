import type { Handler } from '@pizza/shared';
import { orderTimerIds } from '../domain/timers';
import type { SimulatorDeps } from './deps';

/** order.cancelled → the order's pending timers go, and a late simulate request for it is refused. */
export function onOrderCancelled(deps: Pick<SimulatorDeps, 'store'>): Handler<'order.cancelled'> {
  return async (event, ctx) => {
    const orderId = event.payload.order_id;
    const removed = await deps.store.cancelOrder(orderId, orderTimerIds(orderId));
    ctx.logger.info({ order_id: orderId, removed }, 'order cancelled; its timers are dropped');
  };
}
