import type { ClientSession } from 'mongodb';
import type { IdempotencyRecord } from '../domain/idempotency';
import type { Collections } from './collections';

/** The `idempotency_keys` collection: one record per key hash, expired by a TTL index after 24 h. */

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
