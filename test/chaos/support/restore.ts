import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { newEvent, type EventBus } from '@pizza/shared';
import { orderCreated } from '@pizza/orders/src/domain/events';
import { newOrder, type Order } from '@pizza/orders/src/domain/order';
import { hashToken } from '@pizza/orders/src/domain/tokens';
import { collections } from '@pizza/orders/src/store/collections';

/**
 * The operator's fix in the poison case: orders lost by a partial restore of the orders database (documents
 * and outbox alike) are put back as they were when they went out for delivery, and their `order.created` is
 * published again, so the delivery service and the gateway learn them. Built with the order service's own
 * domain builders, so the documents and events are exactly what the service would have written.
 */
export interface RestoredOrder {
  id: string;
  token: string;
}

export async function restoreLostOrders(
  db: Db,
  bus: EventBus,
  ids: readonly string[],
): Promise<RestoredOrder[]> {
  const item = await collections(db).menu.findOne({});
  if (!item) throw new Error('no menu to restore orders from');
  const restored: RestoredOrder[] = [];
  const orders: Order[] = [];
  for (const id of ids) {
    const token = randomUUID();
    const at = new Date();
    const order = newOrder({
      id,
      items: [
        { item_id: item._id, name: item.name, quantity: 1, unit_price: item.price, line_total: item.price },
      ],
      total: item.price,
      customer: { name: 'Restored Customer', address: `${id.slice(0, 8)} Restore Road` },
      tokenHash: hashToken(token),
      now: at,
    });
    order.status = 'out_for_delivery';
    order.timeline.push(
      { status: 'confirmed', at },
      { status: 'preparing', at },
      { status: 'out_for_delivery', at },
    );
    orders.push(order);
    restored.push({ id, token });
  }
  await db.collection<Order>('orders').insertMany(orders);
  await bus.publish(
    orders.map((o) => newEvent('order.created', orderCreated(o), { source: 'orders', correlationId: o._id })),
  );
  return restored;
}
