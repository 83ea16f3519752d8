import type Redis from 'ioredis';
import { z } from 'zod';
import { defineScript, DeliveryStatus, OrderStatus } from '@pizza/shared';
import type { TrackingState, TrackingUpdate } from '../domain/tracking';

/** Redis names of the gateway: one hash per order, one fan-out channel. */
export const CACHE_KEYS = {
  order: (orderId: string) => `notif:order:${orderId}`,
  channel: 'notif:updates',
} as const;

export const CACHE_TTL_SECONDS = 24 * 3600;

/** Per status, the cached orders now in it, scored by when they entered it (ms): the system view counts them. */
export const ORDER_STATUS_SET_PREFIX = 'notif:status:';

/**
 * apply_tracking_update: apply one event to an order's cached state and fan the new state out, atomically.
 * KEYS[1] the order's hash (notif:order:<id>)
 * ARGV[1] the update's rank, ARGV[2] the rank it requires, ARGV[3] '1' to apply even if the required rank
 * was not reached (the last attempt: better a skipped step than a stale state), ARGV[4] TTL in seconds of
 * the hash, ARGV[5] the fan-out channel, ARGV[6] the order id, ARGV[7] the traceparent of the change ('' when
 * tracing is off; published, not stored), ARGV[8..] field/value pairs to set (status, delivery_status,
 * token_hash, at, event_id, ts).
 * Returns {outcome} or {'applied', message}, outcome one of:
 *   'stale'     the state is already at or past it    'early'   a step before it is not applied yet
 *   'unknown'   forced, but the order was never created
 *   'applied'   the hash moved forward and `message` (JSON of the new state) was PUBLISHed
 * No dedupe key per event is needed: the stored rank only ever grows and an update applies only above it, so
 * an event seen again (redelivered or republished) is 'stale' and is never pushed twice.
 */
const APPLY_TRACKING_UPDATE = `
local ttl = tonumber(ARGV[4])
local current = tonumber(redis.call('HGET', KEYS[1], 'rank') or '0')
local rank = tonumber(ARGV[1])
local requires = tonumber(ARGV[2])
if rank <= current then return {'stale'} end
if current < requires and ARGV[3] ~= '1' then return {'early'} end
if current == 0 and requires > 0 then return {'unknown'} end
local before = redis.call('HGET', KEYS[1], 'status')
redis.call('HSET', KEYS[1], 'rank', ARGV[1], unpack(ARGV, 8))
redis.call('EXPIRE', KEYS[1], ttl)
local s = redis.call('HMGET', KEYS[1], 'status', 'delivery_status', 'at', 'event_id', 'ts')
-- The system view's orders by status: one sorted set per status, scored by when the order entered it.
if s[1] and s[1] ~= before then
  if before then redis.call('ZREM', '${ORDER_STATUS_SET_PREFIX}' .. before, ARGV[6]) end
  local now = redis.call('TIME')
  redis.call('ZADD', '${ORDER_STATUS_SET_PREFIX}' .. s[1], now[1] * 1000 + math.floor(now[2] / 1000), ARGV[6])
end
local delivery = cjson.null
if s[2] and s[2] ~= '' then delivery = s[2] end
local message = cjson.encode({
  order_id = ARGV[6], status = s[1], delivery_status = delivery, at = s[3], event_id = s[4], ts = s[5], rank = rank,
  traceparent = ARGV[7]
})
redis.call('PUBLISH', ARGV[5], message)
return {'applied', message}
`;

export type ApplyOutcome = 'applied' | 'stale' | 'early' | 'unknown';

/** A state as fanned out (and as read back from the hash). */
export const TrackingStateSchema = z.object({
  order_id: z.string(),
  status: OrderStatus,
  delivery_status: DeliveryStatus.nullable(),
  at: z.string(),
  event_id: z.string(),
  rank: z.number().int().positive(),
  ts: z.string(),
  /** Fanned out only, never cached: the trace the change belongs to ('' when tracing is off). */
  traceparent: z.string().optional(),
});

export interface CachedOrder {
  tokenHash: string;
  state: TrackingState;
}

const ApplyReply = z.union([
  z.tuple([z.enum(['stale', 'early', 'unknown'])]),
  z.tuple([z.literal('applied'), z.string()]),
]);

/** The gateway's cache, the source of truth for what a (re)connecting client is sent first. */
export class TrackingCache {
  private readonly applyUpdate;

  constructor(private readonly redis: Redis) {
    this.applyUpdate = defineScript(redis, {
      name: 'apply_tracking_update',
      lua: APPLY_TRACKING_UPDATE,
      reply: ApplyReply,
    });
  }

  async apply(update: TrackingUpdate, options: { force: boolean }): Promise<ApplyOutcome> {
    const [outcome] = await this.applyUpdate(...scriptCall(update, options.force));
    return outcome;
  }

  /** Several updates, in order, in one round trip (each one atomic, with its fan-out). */
  async applyMany(updates: readonly { update: TrackingUpdate; force: boolean }[]): Promise<ApplyOutcome[]> {
    const calls = updates.map(({ update, force }) => {
      const [keys, args] = scriptCall(update, force);
      return { keys, args };
    });
    return (await this.applyUpdate.many(calls)).map(([outcome]) => outcome);
  }

  async read(orderId: string): Promise<CachedOrder | undefined> {
    return toCachedOrder(orderId, await this.redis.hgetall(CACHE_KEYS.order(orderId)));
  }

  /** Several orders in one round trip; an order not cached, or not readable, is undefined. */
  async readMany(orderIds: readonly string[]): Promise<(CachedOrder | undefined)[]> {
    const pipeline = this.redis.pipeline();
    for (const orderId of orderIds) pipeline.hgetall(CACHE_KEYS.order(orderId));
    const replies = (await pipeline.exec()) ?? [];
    return orderIds.map((orderId, i) => {
      const [error, hash] = replies[i] ?? [null, undefined];
      return error || !hash ? undefined : toCachedOrder(orderId, hash as Record<string, string>);
    });
  }
}

function scriptCall(update: TrackingUpdate, force: boolean): [string[], (string | number)[]] {
  const fields = Object.entries(update.fields).flatMap(([k, v]) => (v === undefined ? [] : [k, String(v)]));
  const args = [
    update.rank,
    update.requires,
    force ? '1' : '0',
    CACHE_TTL_SECONDS,
    CACHE_KEYS.channel,
    update.orderId,
    update.traceparent ?? '',
  ];
  return [[CACHE_KEYS.order(update.orderId)], [...args, ...fields]];
}

/** A cached hash as the gateway uses it; undefined if the order is not known (or the hash is unreadable). */
function toCachedOrder(orderId: string, hash: Record<string, string>): CachedOrder | undefined {
  if (!hash.token_hash || !hash.rank) return undefined;
  const state = TrackingStateSchema.safeParse({
    order_id: orderId,
    status: hash.status,
    delivery_status: hash.delivery_status ? hash.delivery_status : null,
    at: hash.at,
    event_id: hash.event_id,
    rank: Number(hash.rank),
    ts: hash.ts,
  });
  return state.success ? { tokenHash: hash.token_hash, state: state.data } : undefined;
}
