import {
  LIFECYCLES,
  trackingRanks,
  type DeliveryStatus,
  type Envelope,
  type EventType,
  type OrderStatus,
  type StatusMessage,
} from '@pizza/shared/contract';

/**
 * What the gateway remembers of an order, and how events move it. Pure: no Redis, no sockets.
 *
 * Every state an order goes through has a rank, in the order a client should see them (derived from the
 * lifecycles: created 10 … delivered 80, cancelled 90). An update applies only if it moves the rank forward
 * (never backwards, never twice), and only once the state it follows has been reached (`requires`), so a
 * client never sees a step skipped when events of one order arrive out of order across streams or replicas.
 */
const RANKS = trackingRanks(LIFECYCLES);

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
  /** The consumer span that applied it (tracing on): fanned out with the state, so its pushes join the trace. */
  traceparent?: string;
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
  traceparent?: string;
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
  return update(event, p.order_id, RANKS.order[p.status], {
    status: p.status,
    delivery_status: '',
    token_hash: p.token_hash,
    at: p.created_at,
  });
}

/** A later step of the order: a status change or its cancellation (both carry the new status and when). */
export function orderStatusUpdate(event: Of<'order.status_changed' | 'order.cancelled'>): TrackingUpdate {
  const p = event.payload;
  return update(event, p.order_id, RANKS.order[p.status], { status: p.status, at: p.at });
}

/** A step of the order's delivery: its creation (`waiting`) or a later status. */
export function deliveryStatusUpdate(
  event: Of<'delivery.created' | 'delivery.status_changed'>,
): TrackingUpdate {
  const p = event.payload;
  return update(event, p.order_id, RANKS.delivery[p.status], { delivery_status: p.status, at: p.at });
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
