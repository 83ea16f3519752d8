import type { Handler } from '@pizza/shared';
import type { DeliveryContext } from './context';

/** order.created → remember where the order goes; the delivery is created later, from this address. */
export function onOrderCreated(ctx: DeliveryContext): Handler<'order.created'> {
  return async (event) => {
    await ctx.store.rememberAddress(event.payload.order_id, event.payload.customer.address, ctx.clock());
  };
}
