import { inTransaction, newEvent, type MongoHandle, type Outbox } from '@pizza/shared';
import { planRefill, type RefillChange } from './domain/refill';

export const MENU_COLLECTION = 'menu';
export const REFILL_SOURCE = 'ops';

/** The fields of a `menu` document the refill reads and writes (the order service owns the rest). */
interface MenuStock {
  _id: string;
  stock: number;
  target_stock: number;
}

export interface RefillDeps {
  client: MongoHandle['client'];
  db: MongoHandle['db'];
  /** The `menu.restocked` event is written here, in the refill's transaction. */
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
 * write one `menu.restocked` event to the outbox. Each update is guarded (`stock < target`) and returns
 * the document as it was, so `from` is the stock actually replaced: an order committed in between either
 * makes the transaction conflict and retry (snapshot isolation) or shows up in `from`, never lost silently.
 */
export async function refillStock({
  client,
  db,
  outbox,
  now = new Date(),
}: RefillDeps): Promise<RefillResult> {
  const menu = db.collection<MenuStock>(MENU_COLLECTION);
  return inTransaction(client, async (session) => {
    const docs = await menu.find({}, { session, projection: { stock: 1, target_stock: 1 } }).toArray();
    const levels = docs
      .filter((d) => Number.isInteger(d.stock) && Number.isInteger(d.target_stock))
      .map((d) => ({ item_id: d._id, stock: d.stock, target_stock: d.target_stock }));
    const changes: RefillChange[] = [];
    for (const planned of planRefill(levels)) {
      const before = await menu.findOneAndUpdate(
        { _id: planned.item_id, stock: { $lt: planned.to } },
        { $set: { stock: planned.to } },
        { session, returnDocument: 'before', projection: { stock: 1 } },
      );
      if (before) changes.push({ item_id: planned.item_id, from: before.stock, to: planned.to });
    }
    if (changes.length === 0) return { changes };
    const event = newEvent(
      'menu.restocked',
      { items: changes, at: now.toISOString() },
      { source: REFILL_SOURCE, now },
    );
    await outbox.add(session, [event]);
    return { changes, eventId: event.event_id };
  });
}
