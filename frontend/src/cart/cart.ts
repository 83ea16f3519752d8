import { LIMITS, type MenuItem } from '@pizza/shared/contract';

/** Pure cart rules: every function returns a new cart and never mutates its input. Money is integer cents. */

export interface CartLine {
  readonly item_id: string;
  readonly quantity: number;
}

export interface Cart {
  readonly lines: readonly CartLine[];
}

export const EMPTY_CART: Cart = { lines: [] };

type Stocked = Pick<MenuItem, 'id' | 'stock'>;

export type AddRefusal = 'sold_out' | 'stock_limit' | 'too_many_lines';

/** The most of one item a cart may hold: what is in stock, and never more than one order line allows. */
export function maxQuantityFor(item: Stocked): number {
  return Math.max(0, Math.min(item.stock, LIMITS.maxQuantity));
}

export function quantityOf(cart: Cart, itemId: string): number {
  return cart.lines.find((line) => line.item_id === itemId)?.quantity ?? 0;
}

export function itemCount(cart: Cart): number {
  return cart.lines.reduce((sum, line) => sum + line.quantity, 0);
}

/** Why one more of `item` cannot go in the cart, or null when it can. */
export function addRefusal(cart: Cart, item: Stocked): AddRefusal | null {
  if (item.stock <= 0) return 'sold_out';
  const current = quantityOf(cart, item.id);
  if (current >= maxQuantityFor(item)) return 'stock_limit';
  if (current === 0 && cart.lines.length >= LIMITS.maxLines) return 'too_many_lines';
  return null;
}

export function addOne(cart: Cart, item: Stocked): Cart {
  if (addRefusal(cart, item) !== null) return cart;
  return setQuantity(cart, item, quantityOf(cart, item.id) + 1);
}

/** Sets a line's quantity, clamped to what stock allows; zero (or less) removes the line. */
export function setQuantity(cart: Cart, item: Stocked, quantity: number): Cart {
  const wanted = Number.isFinite(quantity) ? Math.trunc(quantity) : 0;
  const clamped = Math.min(Math.max(wanted, 0), maxQuantityFor(item));
  if (clamped === 0) return removeLine(cart, item.id);
  if (quantityOf(cart, item.id) > 0) {
    return {
      lines: cart.lines.map((line) => (line.item_id === item.id ? { ...line, quantity: clamped } : line)),
    };
  }
  if (cart.lines.length >= LIMITS.maxLines) return cart;
  return { lines: [...cart.lines, { item_id: item.id, quantity: clamped }] };
}

export function removeLine(cart: Cart, itemId: string): Cart {
  return { lines: cart.lines.filter((line) => line.item_id !== itemId) };
}

/** Lowers every line to what is available (as the menu or a 409 reports it), dropping lines left empty. */
export function fitToAvailable(cart: Cart, available: ReadonlyMap<string, number>): Cart {
  const lines = cart.lines
    .map((line) => {
      const limit = available.get(line.item_id);
      return limit === undefined ? line : { ...line, quantity: Math.min(line.quantity, Math.max(limit, 0)) };
    })
    .filter((line) => line.quantity > 0);
  return { lines };
}

export type LineIssue =
  { kind: 'unavailable' } | { kind: 'sold_out' } | { kind: 'exceeds_stock'; available: number };

/** What is wrong with a line given the latest menu, or null. */
export function lineIssue(line: CartLine, item: Stocked | undefined): LineIssue | null {
  if (item === undefined) return { kind: 'unavailable' };
  if (item.stock <= 0) return { kind: 'sold_out' };
  if (line.quantity > item.stock) return { kind: 'exceeds_stock', available: item.stock };
  return null;
}

export interface PricedLine {
  readonly line: CartLine;
  readonly item: MenuItem | undefined;
  /** Null when the item is no longer on the menu, so it has no price. */
  readonly lineTotal: number | null;
}

export function priceLines(cart: Cart, menu: readonly MenuItem[]): PricedLine[] {
  const byId = new Map(menu.map((item) => [item.id, item]));
  return cart.lines.map((line) => {
    const item = byId.get(line.item_id);
    return { line, item, lineTotal: item === undefined ? null : item.price * line.quantity };
  });
}

/** The cart total in integer cents (lines without a price count for nothing). */
export function totalCents(cart: Cart, menu: readonly MenuItem[]): number {
  return priceLines(cart, menu).reduce((sum, priced) => sum + (priced.lineTotal ?? 0), 0);
}

export function toOrderItems(cart: Cart): { item_id: string; quantity: number }[] {
  return cart.lines.map(({ item_id, quantity }) => ({ item_id, quantity }));
}
