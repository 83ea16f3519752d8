import { StockMessage, WS_STOCK_PATH, type MenuItem } from '@pizza/shared/contract';
import { useMemo } from 'react';
import { useLiveJson } from '../system/useLiveJson';

export interface LiveStock {
  /** The socket is connected and has sent the current levels: no need to poll the menu. */
  live: boolean;
  /** The pushed levels by item id, while live; empty otherwise. */
  levels: ReadonlyMap<string, number>;
}

/** The menu's stock levels as the gateway pushes them (`/ws/v1/stock`), reconnecting with backoff. */
export function useLiveStock(): LiveStock {
  const { data, state } = useLiveJson(WS_STOCK_PATH, StockMessage);
  const live = state === 'live';
  const levels = useMemo(
    () => new Map(live && data ? data.items.map((i) => [i.item_id, i.stock] as const) : []),
    [live, data],
  );
  return { live, levels };
}

/** The menu with each item's stock replaced by its pushed level, where there is one. */
export function withLiveStock(items: readonly MenuItem[], levels: ReadonlyMap<string, number>): MenuItem[] {
  return items.map((item) => {
    const stock = levels.get(item.id);
    return stock === undefined || stock === item.stock ? item : { ...item, stock };
  });
}
