import type { ClientSession, Db } from 'mongodb';
import { stalledAggregates } from '@pizza/shared';
import type { Order } from '../domain/order';
import { collections } from './collections';

/**
 * The reconciler's view of the `orders` collection: an order as stored, with when it was last re-driven
 * (a mark the use cases carry along untouched, since they save what they loaded plus its events).
 */
export type StoredOrder = Order & { redriven_at?: Date };

const stored = (db: Db) => db.collection<StoredOrder>(collections(db).orders.collectionName);

export const stalledOrders = (db: Db) => stalledAggregates(stored(db));

export async function findStoredOrder(
  db: Db,
  session: ClientSession,
  id: string,
): Promise<StoredOrder | null> {
  return stored(db).findOne({ _id: id }, { session });
}
