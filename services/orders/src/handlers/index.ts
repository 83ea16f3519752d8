import type { BatchHandler, Envelope, Handlers } from '@pizza/shared';
import { changeOrderStatuses, type Decided, type StatusChange } from '../application/change-order-status';
import type { OrdersContext } from '../application/context';

/** The events the order service consumes. */
export type ConsumedEvent = Envelope<'order.status_simulated' | 'delivery.created' | 'delivery.status_changed'>;

/**
 * The events the order service consumes, each turned into a status command for the one change-status use
 * case: the simulator's step, and the delivery's progress (delivery.created and delivery.status_changed).
 * One read of the bus is applied in one transaction; each event alone is the fallback. A refused step (a
 * skip, a step back, a stale repeat, an order already cancelled) is counted and acked.
 */
export function orderHandlers(ctx: OrdersContext) {
  const apply = async (events: readonly ConsumedEvent[]) => {
    const decided = await changeOrderStatuses(ctx, events.map(changeAskedBy));
    decided.forEach((outcome: Decided) => {
      if (outcome.kind === 'rejected') ctx.metrics.transitionsRejected.inc({ reason: outcome.reason });
    });
  };
  const one = (event: ConsumedEvent) => apply([event]);
  const handlers = {
    'order.status_simulated': one,
    'delivery.created': one,
    'delivery.status_changed': one,
  } satisfies Handlers;
  // The consumer hands over only the types above (those with a handler).
  const batchHandler: BatchHandler = (entries) => apply(entries.map((e) => e.event as ConsumedEvent));
  return { handlers, batchHandler };
}

function changeAskedBy(event: ConsumedEvent): StatusChange {
  if (event.event_type === 'order.status_simulated') {
    const { order_id, status } = event.payload;
    return { orderId: order_id, command: { type: 'ApplySimulatedStatus', status }, cause: { event } };
  }
  const { order_id, delivery_id, status, at } = event.payload;
  return {
    orderId: order_id,
    command: { type: 'RecordDeliveryStatus', delivery: { id: delivery_id, status, at: new Date(at) } },
    cause: { event },
  };
}
