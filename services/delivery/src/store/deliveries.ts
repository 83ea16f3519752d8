import type { ClientSession, Db } from 'mongodb';
import { INBOX_TTL_SECONDS } from '@pizza/shared';
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

/**
 * Where each order is delivered to, remembered from order.created, and needed only until the order goes
 * out: removed by a TTL index after as long as the inbox remembers events.
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
      await addresses.createIndex({ at: 1 }, { expireAfterSeconds: INBOX_TTL_SECONDS });
    },

    /** Idempotent: the first address recorded for an order stays. */
    async rememberAddress(orderId: string, address: string, now: Date): Promise<void> {
      await addresses.updateOne({ _id: orderId }, { $setOnInsert: { address, at: now } }, { upsert: true });
    },

    async addressOf(session: ClientSession, orderId: string): Promise<string | undefined> {
      return (await addresses.findOne({ _id: orderId }, { session }))?.address;
    },

    async findById(session: ClientSession, id: string): Promise<Delivery | null> {
      const doc = await deliveries.findOne({ _id: id }, { session });
      return doc ? fromDoc(doc) : null;
    },

    async findByOrder(session: ClientSession, orderId: string): Promise<Delivery | null> {
      const doc = await deliveries.findOne({ order_id: orderId }, { session });
      return doc ? fromDoc(doc) : null;
    },

    /**
     * Saves `next`: inserts a new delivery (the unique index keeps one per order), or replaces `previous` if
     * it is still in the status it was loaded in; throws otherwise.
     */
    async save(session: ClientSession, previous: Delivery | null, next: Delivery): Promise<void> {
      if (!previous) {
        await deliveries.insertOne(toDoc(next), { session });
        return;
      }
      const result = await deliveries.replaceOne({ _id: previous.id, status: previous.status }, toDoc(next), {
        session,
      });
      // Unreachable inside a snapshot transaction (a concurrent change is a write conflict, retried); kept as a guard.
      if (result.matchedCount !== 1) throw new Error(`delivery ${previous.id} changed since it was loaded`);
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
