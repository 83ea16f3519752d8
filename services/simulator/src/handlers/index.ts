import type { Handlers } from '@pizza/shared';
import { scheduleStep, type SimulatorDeps } from '../application/schedule-step';
import { orderTimerIds } from '../domain/timers';

/**
 * The events the simulator consumes: a simulate request becomes a timer; order.cancelled drops the order's
 * pending timers, and a late simulate request for it is refused.
 */
export function simulatorHandlers(deps: SimulatorDeps) {
  return {
    'order.simulate': (event, ctx) => scheduleStep(deps, event, ctx.logger),
    'delivery.simulate': (event, ctx) => scheduleStep(deps, event, ctx.logger),
    'order.cancelled': async (event, ctx) => {
      const orderId = event.payload.order_id;
      const removed = await deps.store.cancelOrder(orderId, orderTimerIds(orderId));
      ctx.logger.info({ order_id: orderId, removed }, 'order cancelled; its timers are dropped');
    },
  } satisfies Handlers;
}
