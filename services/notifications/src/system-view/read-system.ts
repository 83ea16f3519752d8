import type Redis from 'ioredis';
import {
  ORDER_STATUSES,
  OUTBOX_HEARTBEAT_KEY,
  SERVICES,
  STREAM_TOPOLOGY,
  TRACE_KEYS,
  type OrderStatus,
  type StreamName,
} from '@pizza/shared';
import { ORDER_STATUS_SET_PREFIX } from '../store/tracking-cache';
import { CACHE_TTL_SECONDS } from '../store/tracking-cache';

/** What one tick reads from Redis, before rates are derived. */
export interface SystemReading {
  atMs: number;
  streams: {
    stream: StreamName;
    length: number;
    /** XINFO STREAM entries-added: a counter that only grows, so deltas are rates even across trims. */
    added: number;
    lastId: string;
    groups: {
      group: string;
      lag: number | null;
      pending: number;
      consumers: number;
      minIdleMs: number | null;
    }[];
  }[];
  groupStats: Record<string, string>;
  outboxAges: Record<string, number | null>;
  ordersByStatus: Record<OrderStatus, number>;
  deliveredLastMinute: number;
}

type Reply = [Error | null, unknown][];

/** A flat [k, v, k, v] XINFO reply as a record (nested values kept as they are). */
function record(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(list)) return out;
  for (let i = 0; i + 1 < list.length; i += 2) out[String(list[i])] = list[i + 1];
  return out;
}

const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value) || 0);

const TOPOLOGY = Object.entries(STREAM_TOPOLOGY) as [StreamName, (typeof STREAM_TOPOLOGY)[StreamName]][];

/**
 * Everything the view shows, in ONE pipelined round trip (about 35 commands whatever the number of viewers):
 * XINFO STREAM and GROUPS per stream, XINFO CONSUMERS per group, the groups' retry counters, the outbox
 * heartbeats, and a ZCOUNT per order status.
 */
export async function readSystem(redis: Redis): Promise<SystemReading> {
  const atMs = Date.now();
  const p = redis.pipeline();
  for (const [stream, { groups }] of TOPOLOGY) {
    p.xinfo('STREAM', stream);
    p.xinfo('GROUPS', stream);
    for (const group of groups) p.xinfo('CONSUMERS', stream, group);
  }
  p.hgetall(TRACE_KEYS.groupStats);
  p.mget(...SERVICES.map((s) => OUTBOX_HEARTBEAT_KEY(s)));
  const since = atMs - CACHE_TTL_SECONDS * 1000;
  for (const status of ORDER_STATUSES) p.zcount(`${ORDER_STATUS_SET_PREFIX}${status}`, since, '+inf');
  p.zcount(`${ORDER_STATUS_SET_PREFIX}delivered`, atMs - 60_000, '+inf');
  const replies: Reply = (await p.exec()) ?? [];
  let i = 0;
  const next = (): unknown => {
    const [error, value] = replies[i++] ?? [null, undefined];
    return error ? undefined : value;
  };

  const streams = TOPOLOGY.map(([stream, { groups }]) => {
    const info = record(next());
    const groupInfo = new Map(
      ((next() as unknown[] | undefined) ?? []).map((g) => {
        const r = record(g);
        return [String(r.name), r] as const;
      }),
    );
    return {
      stream,
      length: num(info.length),
      added: num(info['entries-added']),
      lastId: String(info['last-generated-id'] ?? '0-0'),
      groups: groups.map((group) => {
        const consumers = ((next() as unknown[] | undefined) ?? []).map(record);
        const g = groupInfo.get(group);
        const lag = g?.lag;
        return {
          group,
          lag: g === undefined ? null : lag === null || lag === undefined ? null : num(lag),
          pending: num(g?.pending),
          consumers: consumers.length,
          minIdleMs: consumers.length === 0 ? null : Math.min(...consumers.map((c) => num(c.idle))),
        };
      }),
    };
  });
  const groupStats = (next() as Record<string, string> | undefined) ?? {};
  const beats = (next() as (string | null)[] | undefined) ?? [];
  const outboxAges: Record<string, number | null> = {};
  SERVICES.forEach((service, k) => {
    const beat = beats[k];
    let age: number | null = null;
    try {
      age = beat ? num((JSON.parse(beat) as { oldest_age_s?: unknown }).oldest_age_s) : null;
    } catch {
      age = null;
    }
    outboxAges[service] = age;
  });
  const ordersByStatus = {} as Record<OrderStatus, number>;
  for (const status of ORDER_STATUSES) ordersByStatus[status] = num(next());
  const deliveredLastMinute = num(next());
  return { atMs, streams, groupStats, outboxAges, ordersByStatus, deliveredLastMinute };
}

/** Drops orders older than the cache from the status sets (run now and then, not every tick). */
export async function pruneStatusSets(redis: Redis): Promise<void> {
  const p = redis.pipeline();
  const before = Date.now() - CACHE_TTL_SECONDS * 1000;
  for (const status of ORDER_STATUSES)
    p.zremrangebyscore(`${ORDER_STATUS_SET_PREFIX}${status}`, '-inf', before);
  await p.exec();
}
