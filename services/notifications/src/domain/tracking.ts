import type { DeliveryStatus, Envelope, EventType, OrderStatus, StatusMessage } from '@pizza/shared/contract';

/**
 * What the gateway remembers of an order, and how events move it. Pure: no Redis, no sockets.
 *
 * Every state an order goes through has a rank, in the order a client should see them. An update applies
 * only if it moves the rank forward (never backwards, never twice), and only once the state it follows
 * has been reached (`requires`), so a client never sees a step skipped when events of one order arrive out
 * of order across streams or replicas.
 */
export const RANK = {
  created: 10,
  confirmed: 20,
  preparing: 30,
  out_for_delivery: 40,
  delivery_waiting: 50,
  delivery_on_the_way: 60,
  delivery_delivered: 70,
  delivered: 80,
  cancelled: 90,
} as const;

const orderRank: Record<OrderStatus, { rank: number; requires: number }> = {
  created: { rank: RANK.created, requires: 0 },
  confirmed: { rank: RANK.confirmed, requires: RANK.created },
  preparing: { rank: RANK.preparing, requires: RANK.confirmed },
  out_for_delivery: { rank: RANK.out_for_delivery, requires: RANK.preparing },
  // The order is delivered once its delivery is: that is the step before.
  delivered: { rank: RANK.delivered, requires: RANK.delivery_delivered },
  // Cancellable from created or confirmed: it needs only the order to be known.
  cancelled: { rank: RANK.cancelled, requires: RANK.created },
};

const deliveryRank: Record<DeliveryStatus, { rank: number; requires: number }> = {
  waiting: { rank: RANK.delivery_waiting, requires: RANK.out_for_delivery },
  on_the_way: { rank: RANK.delivery_on_the_way, requires: RANK.delivery_waiting },
  delivered: { rank: RANK.delivery_delivered, requires: RANK.delivery_on_the_way },
};

/** The cached fields an update sets. `delivery_status` null is stored as ''. */
export interface UpdateFields {
  status?: OrderStatus;
  delivery_status?: DeliveryStatus | '';
  token_hash?: string;
  at: string;
  event_id: string;
  /** The event's own timestamp: push latency is measured from it. */
  ts: string;
}

export interface TrackingUpdate {
  orderId: string;
  eventId: string;
  rank: number;
  /** The rank the order must have reached first; 0 for the event that makes the order known. */
  requires: number;
  fields: UpdateFields;
}

/** The latest state of an order, as cached and fanned out. */
export interface TrackingState {
  order_id: string;
  status: OrderStatus;
  delivery_status: DeliveryStatus | null;
  at: string;
  event_id: string;
  rank: number;
  ts: string;
}

type Of<T extends EventType> = Envelope<T>;

function update(
  event: Envelope,
  orderId: string,
  step: { rank: number; requires: number },
  fields: Omit<UpdateFields, 'event_id' | 'ts'>,
): TrackingUpdate {
  return {
    orderId,
    eventId: event.event_id,
    ...step,
    fields: { ...fields, event_id: event.event_id, ts: event.timestamp },
  };
}

/** order.created makes the order known: status created, no delivery yet, and the token hash to check. */
export function orderCreatedUpdate(event: Of<'order.created'>): TrackingUpdate {
  const p = event.payload;
  return update(event, p.order_id, orderRank.created, {
    status: 'created',
    delivery_status: '',
    token_hash: p.token_hash,
    at: p.created_at,
  });
}

export function orderStatusChangedUpdate(event: Of<'order.status_changed'>): TrackingUpdate {
  const p = event.payload;
  return update(event, p.order_id, orderRank[p.status], { status: p.status, at: p.at });
}

export function orderCancelledUpdate(event: Of<'order.cancelled'>): TrackingUpdate {
  const p = event.payload;
  return update(event, p.order_id, orderRank.cancelled, { status: 'cancelled', at: p.at });
}

export function deliveryCreatedUpdate(event: Of<'delivery.created'>): TrackingUpdate {
  const p = event.payload;
  return update(event, p.order_id, deliveryRank.waiting, { delivery_status: 'waiting', at: p.at });
}

export function deliveryStatusChangedUpdate(event: Of<'delivery.status_changed'>): TrackingUpdate {
  const p = event.payload;
  return update(event, p.order_id, deliveryRank[p.status], { delivery_status: p.status, at: p.at });
}

export function toStatusMessage(state: TrackingState): StatusMessage {
  return {
    type: 'status',
    order_id: state.order_id,
    status: state.status,
    delivery_status: state.delivery_status,
    at: state.at,
    event_id: state.event_id,
  };
}
