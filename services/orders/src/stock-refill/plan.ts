/** The stock refill rule, pure: which menu items go back to their target stock, and from what. */

export interface StockLevel {
  item_id: string;
  stock: number;
  target_stock: number;
}

/** One item's refill, as the `menu.restocked` event carries it. */
export interface RefillChange {
  item_id: string;
  from: number;
  to: number;
}

/**
 * Every item below its target goes back to exactly its target; items at or above it are left alone
 * (a manual over-stock is not taken away). Sorted by item id, so output and events are stable.
 */
export function planRefill(levels: readonly StockLevel[]): RefillChange[] {
  return levels
    .filter((level) => level.stock < level.target_stock)
    .map((level) => ({ item_id: level.item_id, from: level.stock, to: level.target_stock }))
    .sort((a, b) => (a.item_id < b.item_id ? -1 : a.item_id > b.item_id ? 1 : 0));
}
