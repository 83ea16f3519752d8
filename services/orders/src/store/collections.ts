import type { Collection, Db } from 'mongodb';
import { Outbox, type OutboxOptions } from '@pizza/shared';
import type { Order } from '../domain/order';
import { IDEMPOTENCY_TTL_SECONDS, type IdempotencyRecord } from '../domain/idempotency';
import type { MenuEntry } from '../domain/pricing';

/** The order service's collections, their indexes, and its outbox. */

/** `menu`: the items, their price and their stock (taken by orders, raised by the stock refill). */
export type MenuDoc = MenuEntry;

export interface Collections {
  menu: Collection<MenuDoc>;
  orders: Collection<Order>;
  idempotency: Collection<IdempotencyRecord>;
}

export function collections(db: Db): Collections {
  return {
    menu: db.collection<MenuDoc>('menu'),
    orders: db.collection<Order>('orders'),
    idempotency: db.collection<IdempotencyRecord>('idempotency_keys'),
  };
}

export async function ensureIndexes(db: Db): Promise<void> {
  await collections(db).idempotency.createIndex(
    { created_at: 1 },
    { expireAfterSeconds: IDEMPOTENCY_TTL_SECONDS },
  );
}

/** The order service's outbox (collection `outbox`): the service and its stock refill write to it. */
export const ORDERS_OUTBOX = 'orders';

/** Every process of the order service relays the same outbox, one at a time (they share its lease). */
export function ordersOutbox(deps: Pick<OutboxOptions, 'db' | 'bus' | 'logger'>): Outbox {
  return new Outbox({ ...deps, name: ORDERS_OUTBOX });
}
