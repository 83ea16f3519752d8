import { z } from 'zod';

/**
 * WebSocket `/ws/v1/stock` (public, read-only): the menu's stock levels as the gateway last heard them, at
 * once on connect and then whenever they changed, at most once per tick, the same text to every viewer.
 */
export const WS_STOCK_PATH = '/ws/v1/stock';

export const StockLevelView = z.object({ item_id: z.string(), stock: z.number().int() });
export type StockLevelView = z.infer<typeof StockLevelView>;

export const StockMessage = z.object({
  type: z.literal('stock'),
  /** Every item whose stock changed since the gateway's cache began, by id; others: as the menu says. */
  items: z.array(StockLevelView),
  at: z.string(),
});
export type StockMessage = z.infer<typeof StockMessage>;
