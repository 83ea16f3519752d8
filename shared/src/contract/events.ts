import { z } from 'zod';
import { Cents } from './money';
import { ORDER_LIFECYCLE } from './lifecycle';
import {
  DeliveryStatus,
  FIRST_DELIVERY_STATUS,
  FIRST_ORDER_STATUS,
  OrderStatus,
  SimulatedDeliveryStatus,
  SimulatedOrderStatus,
} from './statuses';
import { STREAMS, type StreamName } from './streams';

/**
 * The one envelope schema of the system: every event on every stream is one of these, checked by the
 * producer before it is written and by the consumer before a handler sees it.
 */
const id = z.string().min(1).max(128);
const isoTime = z.iso.datetime({ offset: true });

const OrderLine = z.object({
  item_id: id,
  name: z.string(),
  quantity: z.number().int().positive(),
  unit_price: Cents,
});

/** Payload schemas, one per event type. */
export const EventPayloads = {
  'order.created': z.object({
    order_id: id,
    status: z.literal(FIRST_ORDER_STATUS),
    items: z.array(OrderLine).min(1),
    total: Cents,
    customer: z.object({ name: z.string(), address: z.string() }),
    /** SHA-256 (hex) of the tracking token: lets the gateway check tokens without a database. */
    token_hash: z.string().regex(/^[0-9a-f]{64}$/),
    created_at: isoTime,
  }),
  'order.status_changed': z.object({
    order_id: id,
    from: OrderStatus,
    status: OrderStatus,
    at: isoTime,
    /** Said again by the reconciler: the delivery answers a repeated start with its history only then. */
    redrive: z.literal(true).optional(),
  }),
  'order.cancelled': z.object({
    order_id: id,
    from: OrderStatus,
    status: z.literal(ORDER_LIFECYCLE.cancel.status),
    items: z.array(z.object({ item_id: id, quantity: z.number().int().positive() })),
    at: isoTime,
  }),
  /** Asks the simulator to move the order to `next_status` after a delay. */
  'order.simulate': z.object({
    order_id: id,
    next_status: SimulatedOrderStatus,
    /** Set by a reconciler: the step may have fired and its event been lost, so the simulator fires it again. */
    redrive: z.literal(true).optional(),
  }),
  'order.status_simulated': z.object({
    order_id: id,
    status: SimulatedOrderStatus,
  }),
  'delivery.created': z.object({
    delivery_id: id,
    order_id: id,
    status: z.literal(FIRST_DELIVERY_STATUS),
    address: z.string(),
    at: isoTime,
  }),
  'delivery.status_changed': z.object({
    delivery_id: id,
    order_id: id,
    from: DeliveryStatus,
    status: DeliveryStatus,
    at: isoTime,
  }),
  'delivery.simulate': z.object({
    delivery_id: id,
    order_id: id,
    next_status: SimulatedDeliveryStatus,
    /** As order.simulate's. */
    redrive: z.literal(true).optional(),
  }),
  'delivery.status_simulated': z.object({
    delivery_id: id,
    order_id: id,
    status: SimulatedDeliveryStatus,
  }),
  'menu.restocked': z.object({
    items: z.array(z.object({ item_id: id, from: z.number().int(), to: z.number().int() })),
    at: isoTime,
  }),
  /**
   * Items' stock after a write that changed it (an order, a cancel, a refill), from the same transaction.
   * `version` counts the item's stock writes: a reader keeps, per item, the level of the highest version,
   * so events applied twice or out of order never set an older level.
   */
  'stock.changed': z.object({
    items: z
      .array(z.object({ item_id: id, stock: z.number().int(), version: z.number().int().positive() }))
      .min(1),
    at: isoTime,
  }),
} as const;

export type EventType = keyof typeof EventPayloads;
export const EVENT_TYPES = Object.keys(EventPayloads) as EventType[];
export type EventPayload<T extends EventType> = z.infer<(typeof EventPayloads)[T]>;

/** Where each event type is published: one stream per type, so a producer never names a stream. */
export const EVENT_STREAM: Record<EventType, StreamName> = {
  'order.created': STREAMS.orders,
  'order.status_changed': STREAMS.orders,
  'order.cancelled': STREAMS.orders,
  'order.simulate': STREAMS.simulateOrder,
  'order.status_simulated': STREAMS.orderStatus,
  'delivery.created': STREAMS.deliveries,
  'delivery.status_changed': STREAMS.deliveries,
  'delivery.simulate': STREAMS.simulateDelivery,
  'delivery.status_simulated': STREAMS.deliveryStatus,
  'menu.restocked': STREAMS.menu,
  'stock.changed': STREAMS.menu,
};

export const SCHEMA_VERSION = 1;

/** W3C trace context (version 00): `00-<32 hex trace id>-<16 hex parent span id>-<2 hex flags>`. */
export const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

const EnvelopeMeta = z.object({
  event_id: z.uuid(),
  schema_version: z.literal(SCHEMA_VERSION),
  correlation_id: id,
  /** The event that caused this one; null for an event caused by a request or an operator. */
  causation_id: id.nullable(),
  source: z.string().min(1).max(64),
  timestamp: isoTime,
  /** The span that published it, so its consumers continue the trace; absent when tracing is off. */
  traceparent: z.string().regex(TRACEPARENT).optional(),
});

function envelopeOf<T extends EventType>(type: T) {
  return EnvelopeMeta.extend({ event_type: z.literal(type), payload: EventPayloads[type] });
}

export type Envelope<T extends EventType = EventType> = {
  [K in T]: z.infer<typeof EnvelopeMeta> & { event_type: K; payload: EventPayload<K> };
}[T];

const envelopeSchemas = Object.fromEntries(EVENT_TYPES.map((t) => [t, envelopeOf(t)])) as unknown as {
  [K in EventType]: z.ZodType<Envelope<K>>;
};

/** The schema of one event type's whole envelope. */
export function envelopeSchema<T extends EventType>(type: T): z.ZodType<Envelope<T>> {
  return envelopeSchemas[type];
}

export function isEventType(value: string): value is EventType {
  return Object.prototype.hasOwnProperty.call(EventPayloads, value);
}
