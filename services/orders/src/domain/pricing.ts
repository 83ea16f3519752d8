import { LIMITS, type MenuItem, type OrderLine } from '@pizza/shared/contract';

/** The menu's rules: what it shows, which lines it can serve, what they cost. Money is integer cents throughout; nothing here ever divides. */

export interface RequestedLine {
  item_id: string;
  quantity: number;
}

export interface MergedLine extends RequestedLine {
  /** Index in the request of the first line naming this item: error paths point at it. */
  index: number;
}

export interface FieldIssue {
  path: string;
  message: string;
}

/**
 * Merges lines naming the same item (first occurrence keeps its place), and checks that a merged
 * quantity still respects the per-line bound.
 */
export function mergeLines(
  lines: readonly RequestedLine[],
  maxQuantity: number = LIMITS.maxQuantity,
): { ok: true; lines: MergedLine[] } | { ok: false; issues: FieldIssue[] } {
  const merged = new Map<string, MergedLine>();
  lines.forEach((line, index) => {
    const seen = merged.get(line.item_id);
    if (seen) seen.quantity += line.quantity;
    else merged.set(line.item_id, { item_id: line.item_id, quantity: line.quantity, index });
  });
  const issues = [...merged.values()]
    .filter((line) => line.quantity > maxQuantity)
    .map((line) => ({
      path: `items.${line.index}.quantity`,
      message: `Lines for ${line.item_id} add up to ${line.quantity}; at most ${maxQuantity} per item`,
    }));
  return issues.length > 0 ? { ok: false, issues } : { ok: true, lines: [...merged.values()] };
}

/** Lines naming an item the menu does not have. */
export function unknownItems(lines: readonly MergedLine[], known: ReadonlySet<string>): FieldIssue[] {
  return lines
    .filter((line) => !known.has(line.item_id))
    .map((line) => ({ path: `items.${line.index}.item_id`, message: `Unknown menu item: ${line.item_id}` }));
}

export interface PricedItem {
  id: string;
  name: string;
  /** Unit price in cents at the moment of ordering. */
  price: number;
}

/** The order's lines with a price snapshot, and the total, all in integer cents. */
export function priceLines(
  lines: readonly RequestedLine[],
  items: ReadonlyMap<string, Pick<PricedItem, 'name' | 'price'>>,
): { lines: OrderLine[]; total: number } {
  const priced = lines.map((line) => {
    const item = items.get(line.item_id);
    if (!item) throw new Error(`no price for ${line.item_id}`);
    if (!Number.isSafeInteger(item.price) || item.price < 0) throw new Error(`bad price for ${line.item_id}`);
    return {
      item_id: line.item_id,
      name: item.name,
      quantity: line.quantity,
      unit_price: item.price,
      line_total: item.price * line.quantity,
    };
  });
  return { lines: priced, total: priced.reduce((sum, line) => sum + line.line_total, 0) };
}

/** A menu item as stored: what it is, what it costs, how many are left and how many it is refilled to. */
export interface MenuEntry {
  _id: string;
  name: string;
  description: string;
  price: number;
  category: 'pizza' | 'drink';
  stock: number;
  target_stock: number;
  /** Counts the writes to `stock` (absent before the first): orders the `stock.changed` events. */
  stock_version?: number;
}

/** An item as an order needs it: what it is called, what it costs, how many are left. */
export type StockedItem = Pick<MenuEntry, '_id' | 'name' | 'price' | 'stock' | 'stock_version'>;

/** Stock as customers see it: never below zero (a document may hold less after a manual edit). */
export const shownStock = (stock: number): number => Math.max(0, stock);

const CATEGORY_ORDER: Record<MenuEntry['category'], number> = { pizza: 0, drink: 1 };

/** The menu for customers: pizzas first, then drinks, each by name. */
export function toMenu(entries: readonly MenuEntry[]): MenuItem[] {
  return [...entries]
    .sort(
      (a, b) => CATEGORY_ORDER[a.category] - CATEGORY_ORDER[b.category] || a.name.localeCompare(b.name, 'en'),
    )
    .map((e) => ({
      id: e._id,
      name: e.name,
      description: e.description,
      price: e.price,
      stock: shownStock(e.stock),
      category: e.category,
      target_stock: e.target_stock,
    }));
}

/** A line the stock cannot serve: OutOfStockError names each. */
export interface ShortItem {
  item_id: string;
  requested: number;
  available: number;
}

/** The lines that cannot be had as `items` stand, or none. */
export function shortLines(
  lines: readonly RequestedLine[],
  items: ReadonlyMap<string, Pick<StockedItem, 'stock'>>,
): ShortItem[] {
  return lines
    .map((l) => ({
      item_id: l.item_id,
      requested: l.quantity,
      available: shownStock(items.get(l.item_id)?.stock ?? 0),
    }))
    .filter((i) => i.available < i.requested);
}
