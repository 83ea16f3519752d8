import type { Envelope, Handlers } from '@pizza/shared';
import { changeOrderStatus, type StatusCommand } from '../application/change-order-status';
import type { OrdersContext } from '../application/context';

/**
 * The events the order service consumes, each turned into a status command for the one change-status use
 * case: the simulator's step, and the delivery's progress (delivery.created and delivery.status_changed).
 * A refused step (a skip, a step back, a stale repeat, an order already cancelled) is counted and acked.
 */
export function orderHandlers(ctx: OrdersContext) {
  const change = async (event: Envelope, orderId: string, command: StatusCommand) => {
    const outcome = await changeOrderStatus(ctx, orderId, command, { event });
    if (outcome.kind === 'rejected') ctx.metrics.transitionsRejected.inc({ reason: outcome.reason });
  };
  const deliveryStatus = (event: Envelope<'delivery.created' | 'delivery.status_changed'>) => {
    const { order_id, delivery_id, status, at } = event.payload;
    return change(event, order_id, {
      type: 'RecordDeliveryStatus',
      delivery: { id: delivery_id, status, at: new Date(at) },
    });
  };
  return {
    'order.status_simulated': (event) =>
      change(event, event.payload.order_id, { type: 'ApplySimulatedStatus', status: event.payload.status }),
    'delivery.created': deliveryStatus,
    'delivery.status_changed': deliveryStatus,
  } satisfies Handlers;
}
