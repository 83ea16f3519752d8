import type { EventPayload, OrderStatus } from '@pizza/shared/contract';
import type { Order } from './order';
import type { SimulatedStatus } from './transitions';

/** Payloads of the events the order service writes, built from the order they describe. */

export function orderCreated(order: Order): EventPayload<'order.created'> {
  return {
    order_id: order._id,
    status: 'created',
    items: order.items.map(({ item_id, name, quantity, unit_price }) => ({
      item_id,
      name,
      quantity,
      unit_price,
    })),
    total: order.total,
    customer: { name: order.customer.name, address: order.customer.address },
    token_hash: order.token_hash,
    created_at: order.created_at.toISOString(),
  };
}

export function orderStatusChanged(
  orderId: string,
  from: OrderStatus,
  to: OrderStatus,
  at: Date,
): EventPayload<'order.status_changed'> {
  return { order_id: orderId, from, status: to, at: at.toISOString() };
}

export function orderCancelled(order: Order, at: Date): EventPayload<'order.cancelled'> {
  return {
    order_id: order._id,
    from: order.status,
    status: 'cancelled',
    items: order.items.map(({ item_id, quantity }) => ({ item_id, quantity })),
    at: at.toISOString(),
  };
}

export function orderSimulate(orderId: string, next: SimulatedStatus): EventPayload<'order.simulate'> {
  return { order_id: orderId, next_status: next };
}
