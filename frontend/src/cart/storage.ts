import { LIMITS, OrderLineInput } from '@pizza/shared/contract';
import { z } from 'zod';
import { EMPTY_CART, type Cart } from './cart';

/** The cart as kept in localStorage: the contract's order lines, so whatever is read back can be ordered. */
const StoredCart = z.object({
  lines: z
    .array(OrderLineInput)
    .max(LIMITS.maxLines)
    .refine((lines) => new Set(lines.map((line) => line.item_id)).size === lines.length, 'duplicate item'),
});

export const CART_STORAGE_KEY = 'pizza.cart.v1';

/** Reads the cart back; anything unreadable (edited by hand, older format) becomes an empty cart. */
export function loadCart(storage: Storage): Cart {
  try {
    const raw = storage.getItem(CART_STORAGE_KEY);
    if (raw === null) return EMPTY_CART;
    const parsed = StoredCart.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : EMPTY_CART;
  } catch {
    return EMPTY_CART;
  }
}

export function saveCart(storage: Storage, cart: Cart): void {
  try {
    if (cart.lines.length === 0) storage.removeItem(CART_STORAGE_KEY);
    else storage.setItem(CART_STORAGE_KEY, JSON.stringify({ lines: cart.lines }));
  } catch {
    // Storage full or disabled: the cart still works for this page's lifetime.
  }
}
