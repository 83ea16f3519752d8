import type { MenuItem } from '@pizza/shared/contract';

export type StockLevel = 'plenty' | 'low' | 'sold_out';

/** "Low" is a fifth of the refill level, and never less than the last three. */
export function stockLevel(item: Pick<MenuItem, 'stock' | 'target_stock'>): StockLevel {
  if (item.stock <= 0) return 'sold_out';
  const lowThreshold = Math.max(3, Math.ceil(item.target_stock / 5));
  return item.stock <= lowThreshold ? 'low' : 'plenty';
}
