import type Redis from 'ioredis';
import { z } from 'zod';
import { defineScript, DeliveryStatus, OrderStatus } from '@pizza/shared';
import type { TrackingState, TrackingUpdate } from '../domain/tracking';
import { APPLY_TRACKING_UPDATE } from './tracking-script';

/** Redis names of the gateway: one hash per order, one fan-out channel. */
export const CACHE_KEYS = {
  order: (orderId: string) => `notif:order:${orderId}`,
  channel: 'notif:updates',
} as const;

export const CACHE_TTL_SECONDS = 24 * 3600;

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
