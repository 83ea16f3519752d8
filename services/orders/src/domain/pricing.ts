import { LIMITS, type OrderLine } from '@pizza/shared/contract';

/** Money is integer cents throughout; nothing here ever divides. */

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
  items: ReadonlyMap<string, PricedItem>,
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
