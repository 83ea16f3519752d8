import type { ClientSession, Db } from 'mongodb';
import type { DeliveryStatus } from '@pizza/shared/contract';
import type { Delivery } from '../domain/delivery';

/** MongoDB documents of the delivery service. */
export interface DeliveryDoc {
  _id: string;
  order_id: string;
  status: DeliveryStatus;
  address: string;
  created_at: Date;
  updated_at: Date;
  history: { status: DeliveryStatus; at: Date }[];
}

/** How long an address is kept: a week, far past any redelivery. */
export const ADDRESS_TTL_SECONDS = 7 * 24 * 3600;

/**
 * Where each order is delivered to, remembered from order.created, and needed only until the order goes
 * out: removed by a TTL index after ADDRESS_TTL_SECONDS.
 */
export interface OrderAddressDoc {
  _id: string;
  address: string;
  at: Date;
}

export const DELIVERY_COLLECTIONS = {
  deliveries: 'deliveries',
  addresses: 'order_addresses',
  /** The delivery service's own outbox: orders may share the database. */
  outbox: 'delivery_outbox',
} as const;

export function deliveryStore(db: Db) {
  const deliveries = db.collection<DeliveryDoc>(DELIVERY_COLLECTIONS.deliveries);
  const addresses = db.collection<OrderAddressDoc>(DELIVERY_COLLECTIONS.addresses);
  return {
    async ensureIndexes(): Promise<void> {
      // At most one delivery per order, whatever the redelivery or the race.
      await deliveries.createIndex({ order_id: 1 }, { unique: true });
      await addresses.createIndex({ at: 1 }, { expireAfterSeconds: ADDRESS_TTL_SECONDS });
    },

    /** Several orders' addresses in one query (an order with none is absent from the map). */
    async addressesOf(session: ClientSession, orderIds: readonly string[]): Promise<Map<string, string>> {
      if (orderIds.length === 0) return new Map();
      const docs = await addresses.find({ _id: { $in: [...new Set(orderIds)] } }, { session }).toArray();
      return new Map(docs.map((d) => [d._id, d.address]));
    },

    /** Idempotent: the first address recorded for an order stays. One bulk write for all. */
    async rememberAddresses(session: ClientSession, list: readonly { orderId: string; address: string }[], now: Date) {
      if (list.length === 0) return;
      await addresses.bulkWrite(
        list.map(({ orderId, address }) => ({
          updateOne: { filter: { _id: orderId }, update: { $setOnInsert: { address, at: now } }, upsert: true },
        })),
        { session, ordered: true },
      );
    },

    /** In one query, the deliveries with these ids and those of these orders. */
    async findMany(session: ClientSession, ids: readonly string[], orderIds: readonly string[]): Promise<Delivery[]> {
      if (ids.length === 0 && orderIds.length === 0) return [];
      const filter = { $or: [{ _id: { $in: [...new Set(ids)] } }, { order_id: { $in: [...new Set(orderIds)] } }] };
      return (await deliveries.find(filter, { session }).toArray()).map(fromDoc);
    },

    /**
     * Saves each delivery in one bulk write: inserts a new one (the unique index keeps one per order), or
     * replaces the one loaded if it is still in the status it was loaded in; throws otherwise.
     */
    async saveMany(session: ClientSession, changes: readonly { previous: Delivery | null; next: Delivery }[]) {
      if (changes.length === 0) return;
      const result = await deliveries.bulkWrite(
        changes.map(({ previous, next }) =>
          previous
            ? { replaceOne: { filter: { _id: previous.id, status: previous.status }, replacement: toDoc(next) } }
            : { insertOne: { document: toDoc(next) } },
        ),
        { session, ordered: true },
      );
      const replaced = changes.filter((c) => c.previous).length;
      // Unreachable inside a snapshot transaction (a concurrent change is a write conflict, retried); kept as a guard.
      if (result.matchedCount !== replaced) throw new Error('a delivery changed since it was loaded');
    },
  };
}
export type DeliveryStore = ReturnType<typeof deliveryStore>;

function toDoc(d: Delivery): DeliveryDoc {
  return {
    _id: d.id,
    order_id: d.orderId,
    status: d.status,
    address: d.address,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
    history: d.history,
  };
}

export function fromDoc(doc: DeliveryDoc): Delivery {
  return {
    id: doc._id,
    orderId: doc.order_id,
    status: doc.status,
    address: doc.address,
    createdAt: doc.created_at,
    updatedAt: doc.updated_at,
    history: doc.history,
  };
}
