import type { OrderView } from '@pizza/shared/contract';
import type { Order } from './order';

/** An order as the HTTP API shows it. */
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
