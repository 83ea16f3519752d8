import { inTransaction, newEvent, type MongoHandle, type Outbox } from '@pizza/shared';
import { collections } from '../store/collections';
import { stockChanged } from '../application/events';
import { raiseStock, readStock, stockLevels } from '../store/menu';
import { planRefill, type RefillChange } from './plan';

/** The `source` of `menu.restocked` and `stock.changed`: the order service owns the menu and its stock. */
export const REFILL_SOURCE = 'orders';

export interface RefillDeps {
  client: MongoHandle['client'];
  db: MongoHandle['db'];
  /** The `menu.restocked` and `stock.changed` events are written here, in the refill's transaction. */
  outbox: Pick<Outbox, 'add'>;
  now?: Date;
}

export interface RefillResult {
  changes: RefillChange[];
  /** The `menu.restocked` event written to the outbox; absent when nothing changed (then nothing is published). */
  eventId?: string;
}

/**
 * One refill, in one transaction: read the menu, raise every item below its target to the target, and
 * write one `menu.restocked` event to the outbox. Each raise is guarded (`stock < target`) and returns the
 * stock it replaced, so `from` is the stock actually replaced: an order committed in between either makes
 * the transaction conflict and retry (snapshot isolation) or shows up in `from`, never lost silently.
 */
export async function refillStock({
  client,
  db,
  outbox,
  now = new Date(),
}: RefillDeps): Promise<RefillResult> {
  const c = collections(db);
  return inTransaction(client, async (session) => {
    const changes: RefillChange[] = [];
    for (const planned of planRefill(await stockLevels(c, session))) {
      const from = await raiseStock(c, session, planned.item_id, planned.to);
      if (from !== undefined) changes.push({ item_id: planned.item_id, from, to: planned.to });
    }
    if (changes.length === 0) return { changes };
    const event = newEvent(
      'menu.restocked',
      { items: changes, at: now.toISOString() },
      { source: REFILL_SOURCE, now },
    );
    const levels = await readStock(
      c,
      session,
      changes.map((change) => change.item_id),
    );
    await outbox.add(session, [event, ...stockChanged(levels, { source: REFILL_SOURCE, now })]);
    return { changes, eventId: event.event_id };
  });
}
