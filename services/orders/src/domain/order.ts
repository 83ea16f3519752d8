import {
  checkStep,
  DELIVERY_LIFECYCLE,
  isFinal,
  LIFECYCLES,
  nextOnPath,
  ORDER_LIFECYCLE,
  progressRank,
  simulatedAfter,
  type DeliveryStatus,
  type EventPayload,
  type OrderLine,
  type OrderStatus,
  type Rejection,
  type SimulatedOrderStatus,
} from '@pizza/shared/contract';

/**
 * Where an order changes status. The order is a decider, pure, with time coming in on each command:
 * `decide(command, state)` answers with the events that happen or a rejection, and `evolve(state, event)` is
 * the state after one event (fold many with `evolveAll`). Every way a status changes is one command:
 * - PlaceOrder:           no order yet → created, and the simulator is asked for the first step;
 * - ApplySimulatedStatus: one happy-path step the simulator drives (confirmed, preparing, out_for_delivery);
 * - RecordDeliveryStatus: the delivery summary moves forward, never back; the delivery's last status moves
 *                         the order one step on (out_for_delivery → delivered);
 * - CancelOrder:          → cancelled, from the statuses that allow it, with every line's stock given back.
 * Which steps exist, and which are allowed, is the lifecycle in shared/src/contract/lifecycle.ts.
 */

/** The order's view of its delivery: kept in step with the delivery service's events, never moved back. */
export interface DeliverySummary {
  id: string;
  status: DeliveryStatus;
  updated_at: Date;
}

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

/** Null: no order placed under this id yet. */
export type OrderState = Order | null;
export const initialState = (): OrderState => null;

export type OrderCommand =
  | {
      type: 'PlaceOrder';
      now: Date;
      order: Pick<Order, '_id' | 'items' | 'total' | 'customer' | 'token_hash'>;
    }
  | { type: 'ApplySimulatedStatus'; now: Date; status: SimulatedOrderStatus }
  | { type: 'RecordDeliveryStatus'; now: Date; delivery: { id: string; status: DeliveryStatus; at: Date } }
  | { type: 'CancelOrder'; now: Date };

type Published<T extends 'order.created' | 'order.status_changed' | 'order.cancelled' | 'order.simulate'> = {
  type: T;
  data: EventPayload<T>;
};
/** The events that leave the service (through the outbox). */
export type PublishedOrderEvent =
  | Published<'order.created'>
  | Published<'order.status_changed'>
  | Published<'order.cancelled'>
  | Published<'order.simulate'>;
/** Every event of an order: the published ones, and the delivery summary, which only the order keeps. */
export type OrderEvent =
  PublishedOrderEvent | { type: 'order.delivery_recorded'; data: { delivery: DeliverySummary; at: Date } };

export function decide(command: OrderCommand, state: OrderState): OrderEvent[] | Rejection {
  if (command.type === 'PlaceOrder') return state ? { rejected: 'not_allowed' } : placed(command);
  if (!state) return { rejected: 'not_allowed' };
  switch (command.type) {
    case 'ApplySimulatedStatus':
      return moved(state, command.status, command.now);
    case 'CancelOrder':
      return moved(state, ORDER_LIFECYCLE.cancel.status, command.now);
    case 'RecordDeliveryStatus':
      return deliveryRecorded(state, command.delivery, command.now);
  }
}

export function evolve(state: OrderState, event: OrderEvent): OrderState {
  if (event.type === 'order.created') return fromCreated(event.data);
  if (!state) return state;
  switch (event.type) {
    case 'order.status_changed':
    case 'order.cancelled': {
      const at = new Date(event.data.at);
      const timeline = [...state.timeline, { status: event.data.status, at }];
      return { ...state, status: event.data.status, timeline, updated_at: at };
    }
    case 'order.delivery_recorded':
      return { ...state, delivery: event.data.delivery, updated_at: event.data.at };
    case 'order.simulate':
      return state;
  }
}

/** Folds events over one loaded state: an order stays an order. */
export function evolveAll(state: Order, events: readonly OrderEvent[]): Order;
export function evolveAll(state: OrderState, events: readonly OrderEvent[]): OrderState;
export function evolveAll(state: OrderState, events: readonly OrderEvent[]): OrderState {
  return events.reduce(evolve, state);
}

export function isPublished(event: OrderEvent): event is PublishedOrderEvent {
  return event.type !== 'order.delivery_recorded';
}

function placed({ order, now }: Extract<OrderCommand, { type: 'PlaceOrder' }>): OrderEvent[] {
  const created = createdEvent(order, now);
  return [created, ...simulationAfter(order._id, created.data.status)];
}

/** The order.created that announces `order`, placed at `createdAt`. */
export function createdEvent(
  order: Pick<Order, '_id' | 'items' | 'total' | 'customer' | 'token_hash'>,
  createdAt: Date,
): Published<'order.created'> {
  return {
    type: 'order.created',
    data: {
      order_id: order._id,
      status: ORDER_LIFECYCLE.happyPath[0],
      items: order.items.map(({ item_id, name, quantity, unit_price }) => ({
        item_id,
        name,
        quantity,
        unit_price,
      })),
      total: order.total,
      customer: { name: order.customer.name, address: order.customer.address },
      token_hash: order.token_hash,
      created_at: createdAt.toISOString(),
    },
  };
}

/** The order moves to `to` if its lifecycle allows it from where it is. */
function moved(order: Order, to: OrderStatus, now: Date): OrderEvent[] | Rejection {
  const rejected = checkStep<OrderStatus>(ORDER_LIFECYCLE, order.status, to);
  if (rejected) return { rejected };
  const [order_id, from, at] = [order._id, order.status, now.toISOString()];
  if (to === ORDER_LIFECYCLE.cancel.status) {
    const items = order.items.map(({ item_id, quantity }) => ({ item_id, quantity }));
    return [{ type: 'order.cancelled', data: { order_id, from, status: to, items, at } }];
  }
  return [
    { type: 'order.status_changed', data: { order_id, from, status: to, at } },
    ...simulationAfter(order_id, to),
  ];
}

function deliveryRecorded(
  order: Order,
  delivery: Extract<OrderCommand, { type: 'RecordDeliveryStatus' }>['delivery'],
  now: Date,
): OrderEvent[] | Rejection {
  const known = order.delivery;
  if (
    known &&
    progressRank(DELIVERY_LIFECYCLE, delivery.status) <= progressRank(DELIVERY_LIFECYCLE, known.status)
  )
    return []; // a duplicate, or behind what is known: nothing new
  const recorded: OrderEvent = {
    type: 'order.delivery_recorded',
    data: { delivery: { id: delivery.id, status: delivery.status, updated_at: delivery.at }, at: now },
  };
  if (!isFinal(DELIVERY_LIFECYCLE, delivery.status)) return [recorded];
  const completed = nextOnPath(ORDER_LIFECYCLE, LIFECYCLES.deliveryStartsAt);
  if (completed === null) return [recorded];
  const step = moved(order, completed, now);
  return Array.isArray(step) ? [recorded, ...step] : step;
}

/** The simulator's request for the step after `status`, if the simulator drives it. */
export function simulationAfter(orderId: string, status: OrderStatus): PublishedOrderEvent[] {
  const next = simulatedAfter(ORDER_LIFECYCLE, status);
  return next === null ? [] : [{ type: 'order.simulate', data: { order_id: orderId, next_status: next } }];
}

function fromCreated(data: EventPayload<'order.created'>): Order {
  const at = new Date(data.created_at);
  return {
    _id: data.order_id,
    status: data.status,
    items: data.items.map((line) => ({ ...line, line_total: line.unit_price * line.quantity })),
    total: data.total,
    customer: data.customer,
    token_hash: data.token_hash,
    timeline: [{ status: data.status, at }],
    delivery: null,
    created_at: at,
    updated_at: at,
  };
}
