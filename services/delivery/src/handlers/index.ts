import type { Handlers } from '@pizza/shared';
import type { DeliveryContext } from '../application/context';
import { moveDelivery } from '../application/move-delivery';
import { replayDelivery } from '../application/replay-delivery';
import { startDelivery } from '../application/start-delivery';
import { startsDelivery } from '../domain/delivery';

/**
 * The events the delivery service consumes: order.created (remember where the order goes),
 * order.status_changed (the status that starts a delivery; other statuses are not this service's business)
 * and delivery.status_simulated (the simulator moved a delivery on). Refusals are counted and acked.
 */
export function deliveryHandlers(ctx: DeliveryContext) {
  return {
    'order.created': async (event) => {
      await ctx.store.rememberAddress(event.payload.order_id, event.payload.customer.address, ctx.clock());
    },
    'order.status_changed': async (event, hctx) => {
      if (!startsDelivery(event.payload.status)) return;
      const outcome = await startDelivery(ctx, event);
      if (outcome === 'started') ctx.metrics.created.inc();
      // Only a re-drive (or a race of two) starts a delivery twice: answer with what the delivery said.
      if (outcome === 'already_started') {
        const replayed = await replayDelivery(ctx, event);
        hctx.logger.info(
          { order_id: event.payload.order_id, replayed },
          'delivery already created; its events replayed',
        );
      }
    },
    'delivery.status_simulated': async (event, hctx) => {
      const outcome = await moveDelivery(ctx, event);
      if (outcome.kind === 'moved') ctx.metrics.transitions.inc({ to: outcome.to });
      if (outcome.kind !== 'rejected') return;
      ctx.metrics.ignored.inc({ reason: outcome.reason });
      const { delivery_id, status } = event.payload;
      hctx.logger.info({ delivery_id, status, reason: outcome.reason }, 'delivery status not applied');
    },
  } satisfies Handlers;
}
