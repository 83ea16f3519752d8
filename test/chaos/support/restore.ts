import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { newEvent, type EventBus, hashTrackingToken } from '@pizza/shared';
import {
  isRejection,
  LIFECYCLES,
  type EventPayload,
  ORDER_LIFECYCLE,
  progressRank,
} from '@pizza/shared/contract';
import {
  decide,
  evolve,
  initialState,
  type Order,
  type OrderCommand,
  type OrderEvent,
} from '@pizza/orders/src/domain/order';
import { collections } from '@pizza/orders/src/store/collections';

/**
 * The operator's fix in the poison case: orders lost by a partial restore of the orders database (documents
 * and outbox alike) are put back as they were when they went out for delivery, and their `order.created` is
 * published again, so the delivery service and the gateway learn them. Built with the order service's own
 * decider, so the documents and events are exactly what the service would have written.
 */
/** The simulated steps an order takes until its delivery starts. */
const STEPS_TO_DELIVERY = ORDER_LIFECYCLE.simulated.filter(
  (status) =>
    progressRank(ORDER_LIFECYCLE, status) <= progressRank(ORDER_LIFECYCLE, LIFECYCLES.deliveryStartsAt),
);

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
  const created: EventPayload<'order.created'>[] = [];
  for (const id of ids) {
    const token = randomUUID();
    const at = new Date();
    const place: OrderCommand = {
      type: 'PlaceOrder',
      now: at,
      order: {
        _id: id,
        items: [
          { item_id: item._id, name: item.name, quantity: 1, unit_price: item.price, line_total: item.price },
        ],
        total: item.price,
        customer: { name: 'Restored Customer', address: `${id.slice(0, 8)} Restore Road` },
        token_hash: hashTrackingToken(token),
      },
    };
    const steps = [
      place,
      ...STEPS_TO_DELIVERY.map((status) => ({ type: 'ApplySimulatedStatus', status, now: at }) as const),
    ];
    const { order, events } = steps.reduce(
      (so, command) => {
        const decided = decide(command, so.order);
        if (isRejection(decided)) throw new Error(`cannot restore order ${id}: ${decided.rejected}`);
        return { order: decided.reduce(evolve, so.order), events: [...so.events, ...decided] };
      },
      { order: initialState(), events: [] as OrderEvent[] },
    );
    if (!order) throw new Error(`order ${id} not restored`);
    created.push(...events.flatMap((e) => (e.type === 'order.created' ? [e.data] : [])));
    orders.push(order);
    restored.push({ id, token });
  }
  await db.collection<Order>('orders').insertMany(orders);
  await bus.publish(
    created.map((p) => newEvent('order.created', p, { source: 'orders', correlationId: p.order_id })),
  );
  return restored;
}
