import { OUTBOX_COLLECTION, type Outbox } from '@pizza/shared';
import type { ObjectId } from 'mongodb';
import type { RefillDeps } from './refill-stock';

/**
 * For a process that exits after writing: runs the outbox relay until the event `eventId` has left the
 * outbox (published by this relay, or by the order service's, whichever holds the lease), then stops it.
 * Without an id it waits for every entry that was already there, so an event an earlier run left behind still
 * goes out (entries written meanwhile by the service are not waited for). If the deadline passes the event is
 * still safe in the outbox and the next relay publishes it; the caller reports failure.
 */
export async function relayUntilPublished(
  outbox: Pick<Outbox, 'start' | 'wake' | 'stop'>,
  db: RefillDeps['db'],
  eventId: string | undefined,
  options: { timeoutMs?: number; pollMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const entries = db.collection<{ _id: ObjectId; fields: { event_id?: string } }>(OUTBOX_COLLECTION);
  const newest = eventId
    ? undefined
    : await entries.findOne({}, { sort: { _id: -1 }, projection: { _id: 1 } });
  const filter = eventId
    ? { 'fields.event_id': eventId }
    : newest
      ? { _id: { $lte: newest._id } }
      : undefined;
  if (!filter) return;
  const pending = () => entries.countDocuments(filter, { limit: 1 });
  outbox.start();
  try {
    while ((await pending()) > 0) {
      if (Date.now() > deadline) {
        throw new Error(
          `${eventId ? `event ${eventId} is` : 'events are'} still in the outbox; the next outbox relay will publish it`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 50));
      outbox.wake();
    }
  } finally {
    await outbox.stop();
  }
}
