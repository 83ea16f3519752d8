import type { ClientSession, Db } from 'mongodb';
import type { OrderStatus } from '@pizza/shared/contract';
import type { Order } from '../domain/order';
import { collections } from './collections';

/**
 * The reconciler's view of the `orders` collection: an order as stored, with when it was last re-driven
 * (a mark the use cases carry along untouched, since they save what they loaded plus its events).
 */
export type StoredOrder = Order & { redriven_at?: Date };

const stored = (db: Db) => db.collection<StoredOrder>(collections(db).orders.collectionName);

/** The reconciler's query is one index range per unfinished status, oldest change first. */
export async function ensureStalledOrdersIndex(db: Db): Promise<void> {
  await stored(db).createIndex({ status: 1, updated_at: 1 });
}

/**
 * Up to `limit` ids of orders in one of `statuses` unchanged since `before` and not re-driven since then,
 * oldest change first.
 */
export async function findStalledOrders(
  db: Db,
  query: { statuses: readonly OrderStatus[]; before: Date; limit: number },
): Promise<string[]> {
  const docs = await stored(db)
    .find(
      {
        status: { $in: [...query.statuses] },
        updated_at: { $lte: query.before },
        $or: [{ redriven_at: { $exists: false } }, { redriven_at: { $lte: query.before } }],
      },
      { projection: { _id: 1 }, sort: { updated_at: 1 }, limit: query.limit },
    )
    .toArray();
  return docs.map((d) => d._id);
}

export async function findStoredOrder(
  db: Db,
  session: ClientSession,
  id: string,
): Promise<StoredOrder | null> {
  return stored(db).findOne({ _id: id }, { session });
}

/**
 * Marks `order` re-driven at `now` if it is still as loaded (same change, same mark): false when another
 * replica, or a status change, came first.
 */
export async function markRedriven(
  db: Db,
  session: ClientSession,
  order: StoredOrder,
  now: Date,
): Promise<boolean> {
  const loaded = {
    _id: order._id,
    updated_at: order.updated_at,
    redriven_at: order.redriven_at ?? { $exists: false as const },
  };
  const result = await stored(db).updateOne(loaded, { $set: { redriven_at: now } }, { session });
  return result.modifiedCount === 1;
}
