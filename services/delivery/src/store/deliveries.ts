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

    async findById(session: ClientSession, id: string): Promise<Delivery | undefined> {
      const doc = await deliveries.findOne({ _id: id }, { session });
      return doc ? fromDoc(doc) : undefined;
    },

    async insert(session: ClientSession, delivery: Delivery): Promise<void> {
      await deliveries.insertOne(toDoc(delivery), { session });
    },

    /**
     * Moves the status of the delivery `id` of order `orderId` only if it is still `from`: returns false when
     * there is no such delivery or it is in another status.
     */
    async moveStatus(
      session: ClientSession,
      target: { id: string; orderId: string },
      step: { from: DeliveryStatus; to: DeliveryStatus; at: Date },
    ) {
      const result = await deliveries.updateOne(
        { _id: target.id, order_id: target.orderId, status: step.from },
        {
          $set: { status: step.to, updated_at: step.at },
          $push: { history: { status: step.to, at: step.at } },
        },
        { session },
      );
      return result.modifiedCount === 1;
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

function fromDoc(doc: DeliveryDoc): Delivery {
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
