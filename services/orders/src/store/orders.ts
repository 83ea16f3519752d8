import type { AnyBulkWriteOperation, ClientSession } from 'mongodb';
import type { IdempotencyRecord } from '../domain/idempotency';
import type { Order } from '../domain/order';
import type { Collections } from './collections';

/**
 * The `orders` collection: loads orders, saves them whole. And `idempotency_keys`, written with the order it
 * names: one record per key hash, expired by a TTL index after 24 h.
 */

export async function findOrder(c: Collections, id: string, session?: ClientSession): Promise<Order | null> {
  return c.orders.findOne({ _id: id }, session ? { session } : {});
}

/** Several orders in one query, by id (an id not found is absent from the map). */
export async function findOrders(
  c: Collections,
  ids: readonly string[],
  session: ClientSession,
): Promise<Map<string, Order>> {
  const docs = await c.orders.find({ _id: { $in: [...new Set(ids)] } }, { session }).toArray();
  return new Map(docs.map((order) => [order._id, order]));
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
  await saveOrders(c, session, new Map([[previous._id, previous]]), new Map([[next._id, next]]));
}

/**
 * Saves, in one bulk write, every order of `next` that is not the very object loaded, each replacing what
 * was loaded only if it is still that (its status and its last change); throws otherwise.
 */
export async function saveOrders(
  c: Collections,
  session: ClientSession,
  loaded: ReadonlyMap<string, Order>,
  next: ReadonlyMap<string, Order>,
): Promise<void> {
  const writes: AnyBulkWriteOperation<Order>[] = [];
  for (const [id, order] of next) {
    const previous = loaded.get(id);
    if (!previous || previous === order) continue;
    const filter = { _id: id, status: previous.status, updated_at: previous.updated_at };
    writes.push({ replaceOne: { filter, replacement: order } });
  }
  if (writes.length === 0) return;
  const result = await c.orders.bulkWrite(writes, { session, ordered: true });
  // Unreachable inside a snapshot transaction (a concurrent change is a write conflict, retried); kept as a guard.
  if (result.matchedCount !== writes.length) throw new Error('an order changed since it was loaded');
}

export async function findRecord(c: Collections, id: string): Promise<IdempotencyRecord | null> {
  return c.idempotency.findOne({ _id: id });
}

export async function insertRecord(
  c: Collections,
  session: ClientSession,
  record: IdempotencyRecord,
): Promise<void> {
  await c.idempotency.insertOne(record, { session });
}

/** Removes a record that has outlived its 24 h before the TTL monitor got to it. */
export async function deleteRecord(c: Collections, record: IdempotencyRecord): Promise<void> {
  await c.idempotency.deleteOne({ _id: record._id, created_at: record.created_at });
}
