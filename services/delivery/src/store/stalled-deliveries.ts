import type { ClientSession, Db } from 'mongodb';
import { stalledAggregates } from '@pizza/shared';
import type { Delivery } from '../domain/delivery';
import { DELIVERY_COLLECTIONS, fromDoc, type DeliveryDoc } from './deliveries';

/**
 * The reconciler's view of `deliveries`: a delivery as stored, with when it was last re-driven (a mark the
 * next status change drops, as it saves the delivery whole).
 */
type StoredDelivery = DeliveryDoc & { redriven_at?: Date };

const stored = (db: Db) => db.collection<StoredDelivery>(DELIVERY_COLLECTIONS.deliveries);

export const stalledDeliveries = (db: Db) => stalledAggregates(stored(db));

export async function findStoredDelivery(
  db: Db,
  session: ClientSession,
  id: string,
): Promise<{ delivery: Delivery; redrivenAt?: Date } | null> {
  const doc = await stored(db).findOne({ _id: id }, { session });
  return doc && { delivery: fromDoc(doc), redrivenAt: doc.redriven_at };
}
