import type { ClientSession, Db } from 'mongodb';
import type { DeliveryStatus } from '@pizza/shared/contract';
import type { Delivery } from '../domain/delivery';
import { DELIVERY_COLLECTIONS, fromDoc, type DeliveryDoc } from './deliveries';

/**
 * The reconciler's view of `deliveries`: a delivery as stored, with when it was last re-driven (a mark the
 * next status change drops, as it saves the delivery whole).
 */
type StoredDelivery = DeliveryDoc & { redriven_at?: Date };

const stored = (db: Db) => db.collection<StoredDelivery>(DELIVERY_COLLECTIONS.deliveries);

/** The reconciler's query is one index range per unfinished status, oldest change first. */
export async function ensureStalledDeliveriesIndex(db: Db): Promise<void> {
  await stored(db).createIndex({ status: 1, updated_at: 1 });
}

/** Up to `limit` ids of deliveries in `statuses` unchanged since `before` and not re-driven since then. */
export async function findStalledDeliveries(
  db: Db,
  query: { statuses: readonly DeliveryStatus[]; before: Date; limit: number },
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

export async function findStoredDelivery(
  db: Db,
  session: ClientSession,
  id: string,
): Promise<{ delivery: Delivery; redrivenAt?: Date } | null> {
  const doc = await stored(db).findOne({ _id: id }, { session });
  return doc && { delivery: fromDoc(doc), redrivenAt: doc.redriven_at };
}

/** Marks the delivery re-driven at `now` if it is still as loaded: false when a change or a replica came first. */
export async function markDeliveryRedriven(
  db: Db,
  session: ClientSession,
  loaded: { delivery: Delivery; redrivenAt?: Date },
  now: Date,
): Promise<boolean> {
  const filter = {
    _id: loaded.delivery.id,
    updated_at: loaded.delivery.updatedAt,
    redriven_at: loaded.redrivenAt ?? { $exists: false as const },
  };
  const result = await stored(db).updateOne(filter, { $set: { redriven_at: now } }, { session });
  return result.modifiedCount === 1;
}
