import type { MenuItem } from '@pizza/shared/contract';
import { createContext, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { addOne, EMPTY_CART, removeLine, setQuantity, type Cart } from './cart';
import { CART_STORAGE_KEY, loadCart, saveCart } from './storage';

type Stocked = Pick<MenuItem, 'id' | 'stock'>;

export interface CartApi {
  cart: Cart;
  add: (item: Stocked) => void;
  setQuantity: (item: Stocked, quantity: number) => void;
  remove: (itemId: string) => void;
  replace: (cart: Cart) => void;
  clear: () => void;
}

export const CartContext = createContext<CartApi | null>(null);

/** Holds the cart for the whole app and keeps it in localStorage, so it survives a reload. */
export function CartProvider({
  children,
  storage = window.localStorage,
}: {
  children: ReactNode;
  storage?: Storage;
}) {
  const [cart, setCart] = useState<Cart>(() => loadCart(storage));

  useEffect(() => saveCart(storage, cart), [storage, cart]);

  // Another tab changed the cart: follow it rather than overwrite it.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === CART_STORAGE_KEY) setCart(loadCart(storage));
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [storage]);

  const add = useCallback((item: Stocked) => setCart((current) => addOne(current, item)), []);
  const changeQuantity = useCallback(
    (item: Stocked, quantity: number) => setCart((current) => setQuantity(current, item, quantity)),
    [],
  );
  const remove = useCallback((itemId: string) => setCart((current) => removeLine(current, itemId)), []);
  const clear = useCallback(() => setCart(EMPTY_CART), []);

  const api = useMemo<CartApi>(
    () => ({ cart, add, setQuantity: changeQuantity, remove, replace: setCart, clear }),
    [cart, add, changeQuantity, remove, clear],
  );
  return <CartContext.Provider value={api}>{children}</CartContext.Provider>;
}
