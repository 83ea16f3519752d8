import type { OrderLine, OrderStatus, OrderView } from '@pizza/shared/contract';
import type { DeliverySummary } from './delivery';

/** An order as the service keeps it. Dates are Dates here and ISO strings on the wire. */
export interface Order {
  _id: string;
  status: OrderStatus;
  items: OrderLine[];
  /** Integer cents, computed on the server. */
  total: number;
  customer: { name: string; address: string };
  /** sha256 (hex) of the tracking token; the token itself is never stored. */
  token_hash: string;
  timeline: { status: OrderStatus; at: Date }[];
  delivery: DeliverySummary | null;
  created_at: Date;
  updated_at: Date;
}

export function newOrder(input: {
  id: string;
  items: OrderLine[];
  total: number;
  customer: { name: string; address: string };
  tokenHash: string;
  now: Date;
}): Order {
  return {
    _id: input.id,
    status: 'created',
    items: input.items,
    total: input.total,
    customer: input.customer,
    token_hash: input.tokenHash,
    timeline: [{ status: 'created', at: input.now }],
    delivery: null,
    created_at: input.now,
    updated_at: input.now,
  };
}

export function toOrderView(order: Order): OrderView {
  return {
    id: order._id,
    status: order.status,
    items: order.items.map((l) => ({
      item_id: l.item_id,
      name: l.name,
      quantity: l.quantity,
      unit_price: l.unit_price,
      line_total: l.line_total,
    })),
    total: order.total,
    customer: { name: order.customer.name, address: order.customer.address },
    created_at: order.created_at.toISOString(),
    timeline: order.timeline.map((t) => ({ status: t.status, at: t.at.toISOString() })),
    delivery: order.delivery
      ? {
          id: order.delivery.id,
          status: order.delivery.status,
          updated_at: order.delivery.updated_at.toISOString(),
        }
      : null,
  };
}
