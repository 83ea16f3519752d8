import { childEvent, type Handler } from '@pizza/shared';
import { orderStatusSimulated, orderTimerId } from '../domain/timers';
import { scheduleStatus, SOURCE, type SimulatorDeps } from './deps';

/** order.simulate → a timer that will publish order.status_simulated (unless the order is cancelled first). */
export function onOrderSimulate(deps: SimulatorDeps): Handler<'order.simulate'> {
  return async (event, ctx) => {
    const { order_id, next_status } = event.payload;
    const status = childEvent(event, 'order.status_simulated', orderStatusSimulated(event.payload), {
      source: SOURCE,
    });
    await scheduleStatus(deps, { id: orderTimerId(order_id, next_status), orderId: order_id, status }, ctx);
  };
}
