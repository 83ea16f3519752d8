import { childEvent, type Handler } from '@pizza/shared';
import { deliveryStatusSimulated, deliveryTimerId } from '../domain/timers';
import { scheduleStatus, SOURCE, type SimulatorDeps } from './deps';

/** delivery.simulate → a timer that will publish delivery.status_simulated. */
export function onDeliverySimulate(deps: SimulatorDeps): Handler<'delivery.simulate'> {
  return async (event, ctx) => {
    const { delivery_id, order_id, next_status } = event.payload;
    const status = childEvent(event, 'delivery.status_simulated', deliveryStatusSimulated(event.payload), {
      source: SOURCE,
    });
    await scheduleStatus(
      deps,
      { id: deliveryTimerId(delivery_id, next_status), orderId: order_id, status },
      ctx,
    );
  };
}
