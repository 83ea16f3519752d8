import type { Outbox } from '@pizza/shared';
import { OPS_OUTBOX } from './outbox';
import type { RefillDeps } from './refill';

/**
 * For a process that exits after writing: runs the outbox relay until the event `eventId` has left the
 * outbox (published by this relay, or by another one holding the lease), then stops it. Without an id it
 * waits for the outbox to be empty, so an event an earlier run left behind still goes out. If the deadline
 * passes the event is still safe in the outbox and the next relay publishes it; the caller reports failure.
 */
export async function relayUntilPublished(
  outbox: Pick<Outbox, 'start' | 'wake' | 'stop'>,
  db: RefillDeps['db'],
  eventId: string | undefined,
  options: { timeoutMs?: number; pollMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const pending = () =>
    db
      .collection(OPS_OUTBOX.collection)
      .countDocuments(eventId ? { 'fields.event_id': eventId } : {}, { limit: 1 });
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
