import { LIMITS, type MenuItem } from '@pizza/shared/contract';
import { describe, expect, it } from 'vitest';
import {
  addOne,
  addRefusal,
  EMPTY_CART,
  fitToAvailable,
  lineIssue,
  setQuantity,
  totalCents,
  type Cart,
} from '../src/cart/cart';
import { attemptFor } from '../src/cart/idempotency';
import { CART_STORAGE_KEY, loadCart, saveCart } from '../src/cart/storage';
import { stockLevel } from '../src/cart/stockLevel';

function menuItem(id: string, overrides: Partial<MenuItem> = {}): MenuItem {
  return {
    id,
    name: id,
    description: '',
    price: 1_000,
    stock: 10,
    category: 'pizza',
    target_stock: 20,
    ...overrides,
  };
}

describe('cart rules', () => {
  it('when a sold-out item is added, then the cart is unchanged and the reason is sold_out', () => {
    const soldOut = menuItem('margherita', { stock: 0 });
    expect(addRefusal(EMPTY_CART, soldOut)).toBe('sold_out');
    expect(addOne(EMPTY_CART, soldOut)).toBe(EMPTY_CART);
  });

  it('when more is added than is in stock, then the quantity stops at the stock', () => {
    const scarce = menuItem('diavola', { stock: 2 });
    const cart = addOne(addOne(addOne(EMPTY_CART, scarce), scarce), scarce);
    expect(cart.lines).toEqual([{ item_id: 'diavola', quantity: 2 }]);
    expect(addRefusal(cart, scarce)).toBe('stock_limit');
  });

  it('when a quantity is typed, then it is clamped to stock and to the per-line limit', () => {
    const plenty = menuItem('water', { stock: 500 });
    expect(setQuantity(EMPTY_CART, plenty, 1_000).lines[0]?.quantity).toBe(LIMITS.maxQuantity);
    expect(setQuantity(EMPTY_CART, menuItem('x', { stock: 3 }), 7).lines[0]?.quantity).toBe(3);
    expect(setQuantity(EMPTY_CART, plenty, 2.9).lines[0]?.quantity).toBe(2);
  });

  it('when a quantity goes to zero, then the line is removed', () => {
    const item = menuItem('margherita');
    const cart = setQuantity(EMPTY_CART, item, 2);
    expect(setQuantity(cart, item, 0)).toEqual(EMPTY_CART);
    expect(setQuantity(cart, item, -4)).toEqual(EMPTY_CART);
  });

  it('when the cart has the most lines an order allows, then a new item is refused but existing lines still grow', () => {
    let cart: Cart = EMPTY_CART;
    for (let index = 0; index < LIMITS.maxLines; index += 1) cart = addOne(cart, menuItem(`item-${index}`));
    expect(addRefusal(cart, menuItem('one-too-many'))).toBe('too_many_lines');
    expect(addOne(cart, menuItem('one-too-many'))).toBe(cart);
    expect(addOne(cart, menuItem('item-0')).lines[0]?.quantity).toBe(2);
  });

  it('totals exactly in integer cents', () => {
    const menu = [menuItem('a', { price: 1_099 }), menuItem('b', { price: 1 })];
    const cart = setQuantity(setQuantity(EMPTY_CART, menu[0]!, 3), menu[1]!, 7);
    expect(totalCents(cart, menu)).toBe(3_304);
  });

  it('ignores lines whose item left the menu in the total, and flags them', () => {
    const cart = setQuantity(EMPTY_CART, menuItem('gone'), 2);
    expect(totalCents(cart, [])).toBe(0);
    expect(lineIssue(cart.lines[0]!, undefined)).toEqual({ kind: 'unavailable' });
  });

  it('flags a line that asks for more than the latest stock', () => {
    expect(lineIssue({ item_id: 'a', quantity: 4 }, menuItem('a', { stock: 1 }))).toEqual({
      kind: 'exceeds_stock',
      available: 1,
    });
    expect(lineIssue({ item_id: 'a', quantity: 4 }, menuItem('a', { stock: 0 }))).toEqual({
      kind: 'sold_out',
    });
  });

  it('fits lines to what is available, dropping those with none left', () => {
    const cart: Cart = {
      lines: [
        { item_id: 'a', quantity: 5 },
        { item_id: 'b', quantity: 2 },
        { item_id: 'c', quantity: 1 },
      ],
    };
    const fitted = fitToAvailable(
      cart,
      new Map([
        ['a', 3],
        ['b', 0],
      ]),
    );
    expect(fitted.lines).toEqual([
      { item_id: 'a', quantity: 3 },
      { item_id: 'c', quantity: 1 },
    ]);
  });
});

describe('stock level', () => {
  it('says sold out, low or plenty', () => {
    expect(stockLevel({ stock: 0, target_stock: 20 })).toBe('sold_out');
    expect(stockLevel({ stock: 3, target_stock: 20 })).toBe('low');
    expect(stockLevel({ stock: 4, target_stock: 20 })).toBe('low');
    expect(stockLevel({ stock: 5, target_stock: 20 })).toBe('plenty');
  });
});

describe('cart storage', () => {
  it('reads back what it saved', () => {
    const cart: Cart = { lines: [{ item_id: 'margherita', quantity: 2 }] };
    saveCart(window.localStorage, cart);
    expect(loadCart(window.localStorage)).toEqual(cart);
  });

  it.each([
    ['not JSON', '{oops'],
    ['the wrong shape', JSON.stringify({ lines: [{ item_id: 'a', quantity: 'two' }] })],
    [
      'a quantity over the limit',
      JSON.stringify({ lines: [{ item_id: 'a', quantity: LIMITS.maxQuantity + 1 }] }),
    ],
    [
      'a duplicated item',
      JSON.stringify({
        lines: [
          { item_id: 'a', quantity: 1 },
          { item_id: 'a', quantity: 2 },
        ],
      }),
    ],
  ])('when the stored cart is %s, then an empty cart is read', (_case, raw) => {
    window.localStorage.setItem(CART_STORAGE_KEY, raw);
    expect(loadCart(window.localStorage)).toEqual(EMPTY_CART);
  });
});

describe('checkout attempt', () => {
  const body = { items: [{ item_id: 'a', quantity: 1 }], customer: { name: 'Ada', address: '1 Loop St' } };
  let counter = 0;
  const newKey = () => `key-${(counter += 1)}`;

  it('keeps the same Idempotency-Key while the request is the same', () => {
    const first = attemptFor(null, body, newKey);
    expect(attemptFor(first, structuredClone(body), newKey).key).toBe(first.key);
  });

  it('makes a new key when the cart or the customer changes', () => {
    const first = attemptFor(null, body, newKey);
    const changed = attemptFor(first, { ...body, items: [{ item_id: 'a', quantity: 2 }] }, newKey);
    expect(changed.key).not.toBe(first.key);
  });
});
