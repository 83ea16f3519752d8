import type { ClientSession } from 'mongodb';
import type { MenuItem } from '@pizza/shared/contract';
import type { PricedItem, RequestedLine } from '../domain/pricing';
import { OutOfStockError, type ShortItem } from '../errors';
import type { StockLevel } from '../stock-refill/plan';
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

/** An item as an order needs it: what it is called, what it costs, how many are left. */
export type StockedItem = Pick<MenuDoc, '_id' | 'name' | 'price' | 'stock'>;

/** Every item the lines name that the menu has, by id, in one read. */
export async function readItems(
  c: Collections,
  session: ClientSession,
  lines: readonly RequestedLine[],
): Promise<Map<string, StockedItem>> {
  const docs = await c.menu
    .find(
      { _id: { $in: lines.map((l) => l.item_id) } },
      { session, projection: { name: 1, price: 1, stock: 1 } },
    )
    .toArray();
  return new Map(docs.map((d) => [d._id, d]));
}

/** Thrown when a guarded decrement did not match although the read said there was stock: try again. */
export class StockChangedError extends Error {
  constructor() {
    super('stock changed between the read and the decrement');
  }
}

/**
 * Takes every line's quantity from stock and returns the items' prices as of this transaction.
 * `items` is this transaction's read of the lines' items: if any line cannot be had, throws
 * OutOfStockError naming every short item before writing anything. Otherwise one bulk write
 * decrements each item, still guarded by `stock >= quantity` so that concurrent orders never
 * oversell; if a guard refuses (the stock changed since the read), throws StockChangedError,
 * which aborts the transaction, so nothing stays decremented.
 */
export async function takeStock(
  c: Collections,
  session: ClientSession,
  lines: readonly RequestedLine[],
  items: ReadonlyMap<string, StockedItem>,
): Promise<Map<string, PricedItem>> {
  const short: ShortItem[] = lines
    .map((l) => ({
      item_id: l.item_id,
      requested: l.quantity,
      available: Math.max(0, items.get(l.item_id)?.stock ?? 0),
    }))
    .filter((i) => i.available < i.requested);
  if (short.length > 0) throw new OutOfStockError(short);

  const result = await c.menu.bulkWrite(
    lines.map((l) => ({
      updateOne: {
        filter: { _id: l.item_id, stock: { $gte: l.quantity } },
        update: { $inc: { stock: -l.quantity } },
      },
    })),
    { session, ordered: false },
  );
  if (result.matchedCount !== lines.length) throw new StockChangedError();

  const priced = new Map<string, PricedItem>();
  for (const l of lines) {
    const item = items.get(l.item_id);
    if (item) priced.set(l.item_id, { id: item._id, name: item.name, price: item.price });
  }
  return priced;
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

/** Every item's stock and target, for the stock refill (items whose numbers are not integers are left out). */
export async function stockLevels(c: Collections, session: ClientSession): Promise<StockLevel[]> {
  const docs = await c.menu.find({}, { session, projection: { stock: 1, target_stock: 1 } }).toArray();
  return docs
    .filter((d) => Number.isInteger(d.stock) && Number.isInteger(d.target_stock))
    .map((d) => ({ item_id: d._id, stock: d.stock, target_stock: d.target_stock }));
}

/**
 * Raises one item's stock to `to`, guarded by `stock < to`; returns the stock it replaced, or undefined when
 * the item is already at or above `to` (an order or another refill got there first).
 */
export async function raiseStock(
  c: Collections,
  session: ClientSession,
  itemId: string,
  to: number,
): Promise<number | undefined> {
  const before = await c.menu.findOneAndUpdate(
    { _id: itemId, stock: { $lt: to } },
    { $set: { stock: to } },
    { session, returnDocument: 'before', projection: { stock: 1 } },
  );
  return before?.stock;
}
