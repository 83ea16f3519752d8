import { z } from 'zod';
import { OrderStatus } from './statuses';
import { WS_TOKEN_PROTOCOL_PREFIX } from './ws';

/**
 * The gateway's two observability channels (docs/contract.md, WebSocket): the live system view, public and
 * the same for everyone, and one order's event trace, guarded by the order's tracking token.
 */
export const WS_SYSTEM_PATH = '/ws/v1/system';
export const WS_TRACE_PATH = '/ws/v1/order-trace/';
/**
 * The trace channel takes the tracking token as the tracking channel does, never in its URL: the client
 * offers `pizza-trace.v1` and `token.<T>`, and the server selects `pizza-trace.v1`.
 */
export const WS_TRACE_PROTOCOL = 'pizza-trace.v1';

/** The subprotocols a trace client offers: the trace protocol, and the token. */
export function traceProtocols(token: string): string[] {
  return [WS_TRACE_PROTOCOL, `${WS_TOKEN_PROTOCOL_PREFIX}${token}`];
}

export const GroupView = z.object({
  group: z.string(),
  /** Entries not yet delivered to the group (XINFO GROUPS lag); null when Redis cannot tell. */
  lag: z.number().int().nullable(),
  pending: z.number().int(),
  consumers: z.number().int(),
  /** Deliveries after the first (attempt > 1), since the counters were created. */
  retried: z.number().int(),
  /** Dead letters now in `dead-letters` that this group wrote for this stream. */
  dead_lettered: z.number().int(),
});
export type GroupView = z.infer<typeof GroupView>;

export const StreamView = z.object({
  stream: z.string(),
  length: z.number().int(),
  /** Entries added per second over the last tick. */
  rate: z.number(),
  /** One rate per tick, oldest first (the last few minutes). */
  history: z.array(z.number()),
  groups: z.array(GroupView),
});
export type StreamView = z.infer<typeof StreamView>;

export const ServiceView = z.object({
  service: z.string(),
  /** A consumer of its group read within the liveness window. */
  alive: z.boolean(),
  /** Milliseconds since its most recently active consumer read; null with no consumer. */
  idle_ms: z.number().int().nullable(),
  /** Seconds the oldest unpublished outbox entry has waited; null: no outbox, or no recent heartbeat. */
  outbox_age_s: z.number().nullable(),
});
export type ServiceView = z.infer<typeof ServiceView>;

export const SystemSnapshot = z.object({
  type: z.literal('system'),
  at: z.string(),
  streams: z.array(StreamView),
  services: z.array(ServiceView),
  dead_letters: z.number().int(),
  orders_by_status: z.record(OrderStatus, z.number().int()),
  delivered_last_minute: z.number().int(),
});
export type SystemSnapshot = z.infer<typeof SystemSnapshot>;

/** One consumer group's go at one entry. */
export const TraceHandling = z.object({
  group: z.string(),
  attempt: z.number().int(),
  outcome: z.enum(['handled', 'failed', 'dead-lettered']),
  at: z.string(),
});
export type TraceHandling = z.infer<typeof TraceHandling>;

/** One stream entry of the order: ids, type, producer and times only, nothing personal. */
export const TraceEvent = z.object({
  stream: z.string(),
  entry_id: z.string(),
  event_id: z.string(),
  event_type: z.string(),
  source: z.string(),
  causation_id: z.string().nullable(),
  timestamp: z.string(),
  /** Times this entry came back from `dead-letters`. */
  replay_count: z.number().int(),
  handled: z.array(TraceHandling),
});
export type TraceEvent = z.infer<typeof TraceEvent>;

export const TraceMessage = z.object({
  type: z.literal('trace'),
  order_id: z.string(),
  /** In causal order: parents before children, siblings by time. */
  events: z.array(TraceEvent),
  /** The trace hit its cap and stopped recording. */
  truncated: z.boolean(),
});
export type TraceMessage = z.infer<typeof TraceMessage>;

/** Demo load (admin): bounded so that a visitor can watch lag rise and drain without harming the system. */
export const DEMO_LOAD_MAX_COUNT = 500;
export const DEMO_LOAD_MAX_PER_SECOND = 50;
export const DemoLoadRequest = z.strictObject({
  count: z.number().int().min(1).max(DEMO_LOAD_MAX_COUNT),
  per_second: z.number().int().min(1).max(DEMO_LOAD_MAX_PER_SECOND).default(10),
});
export type DemoLoadRequest = z.infer<typeof DemoLoadRequest>;
export const DemoLoadStarted = z.object({ count: z.number().int(), per_second: z.number().int() });
export type DemoLoadStarted = z.infer<typeof DemoLoadStarted>;
