import type { ClientSession, Db, MongoClient } from 'mongodb';
import { inTransaction, isDuplicateKey } from './client';

/**
 * The inbox makes a handler's effect happen at most once per (consumer group, event_id).
 *
 * Guarantee: the inbox record is inserted in the same MongoDB transaction as the handler's writes, so either
 * both commit or neither does. A redelivered event finds its record (duplicate key on `_id`) and the
 * transaction is abandoned without effect. Records live in the `inbox` collection for INBOX_TTL_SECONDS,
 * far longer than any redelivery window (claim idle × retries).
 */
export const INBOX_COLLECTION = 'inbox';
export const INBOX_TTL_SECONDS = 7 * 24 * 3600;

interface InboxRecord {
  _id: string;
  at: Date;
}

class AlreadyApplied extends Error {}

export async function ensureInboxIndexes(db: Db): Promise<void> {
  await db.collection<InboxRecord>(INBOX_COLLECTION).createIndex({ at: 1 }, { expireAfterSeconds: INBOX_TTL_SECONDS });
}

export type ApplyResult<T> = { applied: true; result: T } | { applied: false };

/**
 * Runs `work` in a transaction that also records (group, eventId) in the inbox. If the event was applied
 * before, nothing runs and `{applied: false}` comes back.
 */
export async function applyOnce<T>(
  mongo: { client: MongoClient; db: Db },
  key: { group: string; eventId: string },
  work: (session: ClientSession) => Promise<T>,
): Promise<ApplyResult<T>> {
  try {
    const result = await inTransaction(mongo.client, async (session) => {
      try {
        await mongo.db
          .collection<InboxRecord>(INBOX_COLLECTION)
          .insertOne({ _id: `${key.group}:${key.eventId}`, at: new Date() }, { session });
      } catch (error) {
        // Thrown (not returned) so the transaction is aborted rather than committed.
        if (isDuplicateKey(error)) throw new AlreadyApplied();
        throw error;
      }
      return work(session);
    });
    return { applied: true, result };
  } catch (error) {
    if (error instanceof AlreadyApplied) return { applied: false };
    throw error;
  }
}
