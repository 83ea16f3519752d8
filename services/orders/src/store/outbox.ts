import { Outbox, type OutboxOptions } from '@pizza/shared';

/** The order service's outbox (collection `outbox`): the service and its stock refill write to it. */
export const ORDERS_OUTBOX = 'orders';

/** Every process of the order service relays the same outbox, one at a time (they share its lease). */
export function ordersOutbox(deps: Pick<OutboxOptions, 'db' | 'bus' | 'logger'>): Outbox {
  return new Outbox({ ...deps, name: ORDERS_OUTBOX });
}
