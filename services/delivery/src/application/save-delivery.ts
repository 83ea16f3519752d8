import type { ClientSession } from 'mongodb';
import { childEvent, type Envelope } from '@pizza/shared';
import { SERVICE } from '../config';
import { evolveAll, type DeliveryEvent, type DeliveryState } from '../domain/delivery';
import type { DeliveryContext } from './context';

/** Inside the caller's transaction: the delivery after its events, saved, and the events in the outbox. */
export async function saveDelivery(
  ctx: DeliveryContext,
  session: ClientSession,
  change: { loaded: DeliveryState; events: readonly DeliveryEvent[]; cause: Envelope; now: Date },
): Promise<void> {
  const next = evolveAll(change.loaded, change.events);
  if (!next) throw new Error('events that leave no delivery cannot be saved');
  await ctx.store.save(session, change.loaded, next);
  const origin = { source: SERVICE, now: change.now };
  await ctx.outbox.add(
    session,
    change.events.map((e) => childEvent(change.cause, e.type, e.data, origin)),
  );
}
