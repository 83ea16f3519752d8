import { ORDER_LIFECYCLE } from '@pizza/shared/contract';
import { MENU_SEED } from '@pizza/orders/src/seed';

export interface PlacedOrder {
  id: string;
  token: string;
}

export interface OrderView {
  id: string;
  status: string;
  timeline: { status: string; at: string }[];
  delivery: { id: string; status: string } | null;
}

/** Places an order through the public API; the items cycle through the seeded menu. */
export async function placeOrder(ordersUrl: string, n = 0): Promise<PlacedOrder> {
  const item = MENU_SEED[n % MENU_SEED.length]!;
  const res = await fetch(`${ordersUrl}/api/v1/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      items: [{ item_id: item._id, quantity: 1 }],
      customer: { name: `Customer ${n}`, address: `${n} Pipeline Street` },
    }),
  });
  const body = (await res.json()) as { id?: string; tracking_token?: string };
  if (res.status !== 201 || !body.id || !body.tracking_token)
    throw new Error(`POST /api/v1/orders: ${res.status} ${JSON.stringify(body)}`);
  return { id: body.id, token: body.tracking_token };
}

export async function getOrder(ordersUrl: string, order: PlacedOrder): Promise<OrderView> {
  const res = await fetch(`${ordersUrl}/api/v1/orders/${order.id}?token=${encodeURIComponent(order.token)}`);
  if (res.status !== 200) throw new Error(`GET order ${order.id}: ${res.status}`);
  return (await res.json()) as OrderView;
}

/** The statuses an order that goes the whole way passes, in order: the lifecycle's happy path. */
export const ORDER_STATUS_PATH: readonly string[] = ORDER_LIFECYCLE.happyPath;
