import { useContext } from 'react';
import { CartContext, type CartApi } from './CartProvider';

export function useCart(): CartApi {
  const api = useContext(CartContext);
  if (api === null) throw new Error('useCart must be used inside <CartProvider>');
  return api;
}
