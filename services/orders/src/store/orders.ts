import type { ClientSession } from 'mongodb';
import type { Order } from '../domain/order';
import type { Collections } from './collections';

/** The `orders` collection: loads an order, saves it whole. */

export async function findOrder(c: Collections, id: string, session?: ClientSession): Promise<Order | null> {
  return c.orders.findOne({ _id: id }, session ? { session } : {});
}

/**
 * Saves `next`: inserts a new order, or replaces `previous` if it is still what was loaded (its status and
 * its last change); throws otherwise.
 */
export async function saveOrder(
  c: Collections,
  session: ClientSession,
  previous: Order | null,
  next: Order,
): Promise<void> {
  if (!previous) {
    await c.orders.insertOne(next, { session });
    return;
  }
  const loaded = { _id: previous._id, status: previous.status, updated_at: previous.updated_at };
  const result = await c.orders.replaceOne(loaded, next, { session });
  // Unreachable inside a snapshot transaction (a concurrent change is a write conflict, retried); kept as a guard.
  if (result.matchedCount !== 1) throw new Error(`order ${previous._id} changed since it was loaded`);
}
