import type { Handlers } from '@pizza/shared';
import { dropOrderTimers } from '../application/drop-order-timers';
import { scheduleStep, type SimulatorDeps } from '../application/schedule-step';

/**
 * The events the simulator consumes: a simulate request becomes a timer; order.cancelled drops the order's
 * pending timers, and a late simulate request for it is refused.
 */
export function simulatorHandlers(deps: SimulatorDeps) {
  return {
    'order.simulate': (event, ctx) => scheduleStep(deps, event, ctx.logger),
    'delivery.simulate': (event, ctx) => scheduleStep(deps, event, ctx.logger),
    'order.cancelled': (event, ctx) => dropOrderTimers(deps, event.payload.order_id, ctx.logger),
  } satisfies Handlers;
}
