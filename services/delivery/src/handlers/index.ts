import type { BatchHandler, HandlerContext, Handlers } from '@pizza/shared';
import {
  applyDeliveryEvents,
  type DeliveryCause,
  type DeliveryOutcome,
} from '../application/apply-delivery-events';
import type { DeliveryContext } from '../application/context';

/**
 * The events the delivery service consumes: order.created (remember where the order goes),
 * order.status_changed (the status that starts a delivery; other statuses are not this service's business)
 * and delivery.status_simulated (the simulator moved a delivery on). One read of the bus is applied in one
 * transaction; each event alone is the fallback. Refusals are counted and acked.
 */
export function deliveryHandlers(ctx: DeliveryContext) {
  const apply = async (entries: readonly { event: DeliveryCause; ctx: HandlerContext }[]) => {
    const outcomes = await applyDeliveryEvents(
      ctx,
      entries.map((e) => e.event),
    );
    for (const [i, outcome] of outcomes.entries()) report(ctx, outcome, entries[i]!);
  };
  const one = (event: DeliveryCause, hctx: HandlerContext) => apply([{ event, ctx: hctx }]);
  const handlers = {
    'order.created': one,
    'order.status_changed': one,
    'delivery.status_simulated': one,
  } satisfies Handlers;
  // The consumer hands over only the types above (those with a handler).
  const batchHandler: BatchHandler = (entries) =>
    apply(entries.map((e) => ({ event: e.event as DeliveryCause, ctx: e.ctx })));
  return { handlers, batchHandler };
}

function report(
  ctx: DeliveryContext,
  outcome: DeliveryOutcome,
  entry: { event: DeliveryCause; ctx: HandlerContext },
): void {
  switch (outcome.kind) {
    case 'started':
      ctx.metrics.created.inc();
      return;
    case 'already_started':
      if (outcome.replayed !== undefined)
        entry.ctx.logger.info(
          { order_id: entry.event.payload.order_id, replayed: outcome.replayed },
          'delivery already created; its events replayed',
        );
      return;
    case 'moved':
      ctx.metrics.transitions.inc({ to: outcome.to });
      return;
    case 'rejected': {
      ctx.metrics.ignored.inc({ reason: outcome.reason });
      const { deliveryId: delivery_id, status, reason } = outcome;
      entry.ctx.logger.info({ delivery_id, status, reason }, 'delivery status not applied');
    }
  }
}
