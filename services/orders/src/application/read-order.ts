import { NotFoundError, trackingTokenMatches } from '@pizza/shared';
import type { OrderView } from '@pizza/shared/contract';
import type { Order } from '../domain/order';
import { toOrderView } from '../domain/order-view';
import { findOrder } from '../store/orders';
import type { OrdersContext } from './context';

/** The one answer for a wrong id and a wrong token alike. */
export const ORDER_NOT_FOUND = 'Order not found';

/** Throws the same NotFoundError for an unknown id and a wrong token; the token check is constant-time. */
export function authorize(order: Order | null, token: string): Order {
  const ok = trackingTokenMatches(token, order?.token_hash);
  if (!order || !ok) throw new NotFoundError(ORDER_NOT_FOUND);
  return order;
}

export async function readOrder(ctx: OrdersContext, id: string, token: string): Promise<OrderView> {
  return toOrderView(authorize(await findOrder(ctx.c, id), token));
}
