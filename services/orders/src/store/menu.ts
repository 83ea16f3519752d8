import type { ClientSession } from 'mongodb';
import type { RequestedLine, StockedItem } from '../domain/pricing';
import type { StockLevel } from '../stock-refill/plan';
import type { Collections, MenuDoc } from './collections';

/** Every item, as stored. */
export async function loadMenu(c: Collections): Promise<MenuDoc[]> {
  return c.menu.find({}).toArray();
}

/** Every item the lines name that the menu has, by id, in one read (inside the transaction when given one). */
export async function readItems(
  c: Collections,
  lines: readonly RequestedLine[],
  session?: ClientSession,
): Promise<Map<string, StockedItem>> {
  const docs = await c.menu
    .find(
      { _id: { $in: lines.map((l) => l.item_id) } },
      { ...(session ? { session } : {}), projection: { name: 1, price: 1, stock: 1, stock_version: 1 } },
    )
    .toArray();
  return new Map(docs.map((d) => [d._id, d]));
}

/**
 * Takes every line's quantity from stock in one bulk write, each guarded by `stock >= quantity` so that
 * concurrent orders never oversell. Meant as the transaction's first write: the stock documents are the hot
 * spot, and the sooner the transaction touches them the shorter it holds them against other buyers. Returns
 * false when a guard refused (or an item is unknown): the caller aborts, so nothing stays decremented.
 */
export async function takeStock(
  c: Collections,
  session: ClientSession,
  lines: readonly RequestedLine[],
): Promise<boolean> {
  const result = await c.menu.bulkWrite(
    lines.map((l) => ({
      updateOne: {
        filter: { _id: l.item_id, stock: { $gte: l.quantity } },
        update: { $inc: { stock: -l.quantity, stock_version: 1 } },
      },
    })),
    { session, ordered: false },
  );
  return result.matchedCount === lines.length;
}

/** An item's stock after a write, as the `stock.changed` event carries it. */
export type StockAfterWrite = Pick<MenuDoc, '_id' | 'stock' | 'stock_version'>;

/** Gives back the quantities of a cancelled order; returns the items' stock after it. */
export async function restock(
  c: Collections,
  session: ClientSession,
  lines: readonly RequestedLine[],
): Promise<StockAfterWrite[]> {
  if (lines.length === 0) return [];
  await c.menu.bulkWrite(
    lines.map((l) => ({
      updateOne: { filter: { _id: l.item_id }, update: { $inc: { stock: l.quantity, stock_version: 1 } } },
    })),
    { session, ordered: true },
  );
  return readStock(
    c,
    session,
    lines.map((l) => l.item_id),
  );
}

/** The items' stock as this transaction sees it (after its own writes). */
export async function readStock(
  c: Collections,
  session: ClientSession,
  itemIds: readonly string[],
): Promise<StockAfterWrite[]> {
  return c.menu
    .find({ _id: { $in: [...new Set(itemIds)] } }, { session, projection: { stock: 1, stock_version: 1 } })
    .toArray();
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
    { $set: { stock: to }, $inc: { stock_version: 1 } },
    { session, returnDocument: 'before', projection: { stock: 1 } },
  );
  return before?.stock;
}
