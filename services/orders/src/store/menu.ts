import type { ClientSession } from 'mongodb';
import type { MenuItem } from '@pizza/shared/contract';
import type { PricedItem, RequestedLine } from '../domain/pricing';
import { OutOfStockError, type ShortItem } from '../errors';
import type { Collections, MenuDoc } from './collections';

const CATEGORY_ORDER: Record<MenuDoc['category'], number> = { pizza: 0, drink: 1 };

/** The menu for customers: pizzas first, then drinks, each by name. */
export async function listMenu(c: Collections): Promise<MenuItem[]> {
  const docs = await c.menu.find({}).toArray();
  return docs
    .sort(
      (a, b) => CATEGORY_ORDER[a.category] - CATEGORY_ORDER[b.category] || a.name.localeCompare(b.name, 'en'),
    )
    .map((d) => ({
      id: d._id,
      name: d.name,
      description: d.description,
      price: d.price,
      stock: Math.max(0, d.stock),
      category: d.category,
      target_stock: d.target_stock,
    }));
}

export async function existingItemIds(c: Collections, ids: readonly string[]): Promise<Set<string>> {
  const docs = await c.menu.find({ _id: { $in: [...ids] } }, { projection: { _id: 1 } }).toArray();
  return new Set(docs.map((d) => d._id));
}

/**
 * Takes every line's quantity from stock, each with a conditional decrement (`stock >= quantity`), and
 * returns the items' prices as of this transaction. If any line cannot be had, throws OutOfStockError
 * naming every short item, which aborts the transaction, so nothing stays decremented.
 */
export async function takeStock(
  c: Collections,
  session: ClientSession,
  lines: readonly RequestedLine[],
): Promise<Map<string, PricedItem>> {
  const priced = new Map<string, PricedItem>();
  const short: RequestedLine[] = [];
  for (const line of lines) {
    if (short.length > 0) {
      short.push(line); // no more writes once the order is lost: only find out what else is short
      continue;
    }
    const item = await c.menu.findOneAndUpdate(
      { _id: line.item_id, stock: { $gte: line.quantity } },
      { $inc: { stock: -line.quantity } },
      { session, returnDocument: 'after', projection: { name: 1, price: 1 } },
    );
    if (item) priced.set(line.item_id, { id: item._id, name: item.name, price: item.price });
    else short.push(line);
  }
  if (short.length === 0) return priced;

  const ids = short.map((l) => l.item_id);
  const docs = await c.menu.find({ _id: { $in: ids } }, { session, projection: { stock: 1 } }).toArray();
  const available = new Map(docs.map((d) => [d._id, Math.max(0, d.stock)]));
  const items: ShortItem[] = short
    .map((l) => ({ item_id: l.item_id, requested: l.quantity, available: available.get(l.item_id) ?? 0 }))
    .filter((i) => i.available < i.requested);
  throw new OutOfStockError(items);
}

/** Gives back the quantities of a cancelled order. */
export async function restock(
  c: Collections,
  session: ClientSession,
  lines: readonly RequestedLine[],
): Promise<void> {
  if (lines.length === 0) return;
  await c.menu.bulkWrite(
    lines.map((l) => ({
      updateOne: { filter: { _id: l.item_id }, update: { $inc: { stock: l.quantity } } },
    })),
    { session, ordered: true },
  );
}
