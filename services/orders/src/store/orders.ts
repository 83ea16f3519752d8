import type { ClientSession } from 'mongodb';
import type { DeliverySummary } from '../domain/delivery';
import type { Order } from '../domain/order';
import type { OrderStatus } from '@pizza/shared/contract';
import type { Collections } from './collections';

/** The `orders` collection: every write is guarded by the status it expects. */

export async function insertOrder(c: Collections, session: ClientSession, order: Order): Promise<void> {
  await c.orders.insertOne(order, { session });
}

export async function findOrder(c: Collections, id: string, session?: ClientSession): Promise<Order | null> {
  return c.orders.findOne({ _id: id }, session ? { session } : {});
}

/** Moves the order from `from` to `to` and appends to its timeline; throws if it was not in `from`. */
export async function saveTransition(
  c: Collections,
  session: ClientSession,
  change: { orderId: string; from: OrderStatus; to: OrderStatus; at: Date },
): Promise<void> {
  const result = await c.orders.updateOne(
    { _id: change.orderId, status: change.from },
    {
      $set: { status: change.to, updated_at: change.at },
      $push: { timeline: { status: change.to, at: change.at } },
    },
    { session },
  );
  // Unreachable inside a snapshot transaction (a concurrent change is a write conflict, retried); kept as a guard.
  if (result.matchedCount !== 1) throw new Error(`order ${change.orderId} was not ${change.from}`);
}

export async function saveDelivery(
  c: Collections,
  session: ClientSession,
  change: { orderId: string; delivery: DeliverySummary; at: Date },
): Promise<void> {
  await c.orders.updateOne(
    { _id: change.orderId },
    { $set: { delivery: change.delivery, updated_at: change.at } },
    { session },
  );
}
