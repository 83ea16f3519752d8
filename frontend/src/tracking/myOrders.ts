import { z } from 'zod';

/** Orders placed from this browser: enough to reopen their tracking page (id and token), newest first. */
const PlacedOrder = z.object({ id: z.string().min(1), token: z.string().min(1), placed_at: z.string() });
export type PlacedOrder = z.infer<typeof PlacedOrder>;
const PlacedOrders = z.array(PlacedOrder);

export const MY_ORDERS_STORAGE_KEY = 'pizza.my-orders.v1';
const KEPT = 50;

export function loadMyOrders(storage: Storage): PlacedOrder[] {
  try {
    const raw = storage.getItem(MY_ORDERS_STORAGE_KEY);
    if (raw === null) return [];
    const parsed = PlacedOrders.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export function rememberOrder(storage: Storage, order: PlacedOrder): void {
  const others = loadMyOrders(storage).filter((known) => known.id !== order.id);
  write(storage, [order, ...others].slice(0, KEPT));
}

export function forgetOrder(storage: Storage, orderId: string): void {
  write(
    storage,
    loadMyOrders(storage).filter((known) => known.id !== orderId),
  );
}

function write(storage: Storage, orders: PlacedOrder[]): void {
  try {
    storage.setItem(MY_ORDERS_STORAGE_KEY, JSON.stringify(orders));
  } catch {
    // Storage disabled: the order still tracks from its link.
  }
}

export function trackingPath(order: Pick<PlacedOrder, 'id' | 'token'>): string {
  return `/orders/${encodeURIComponent(order.id)}?token=${encodeURIComponent(order.token)}`;
}
