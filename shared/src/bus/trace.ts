import type Redis from 'ioredis';
import { z } from 'zod';
import type { Envelope } from '../contract';
import type { StreamFields } from '../envelope';
import { defineScript } from '../redis-script';

/**
 * What consumers report about the entries they settle, for the per-order trace and the system view. One
 * script call per batch (never one round trip per entry) records, per order, the entry (ids, type, producer,
 * causation, time: nothing personal) and each group's attempt, in a capped hash with the gateway cache's TTL.
 */
export const TRACE_KEYS = {
  order: (orderId: string) => `trace:order:${orderId}`,
  /** `<group>|retried`, `<group>|failed`: counters the system view reads. */
  groupStats: 'trace:group-stats',
} as const;

/** Same as the gateway's tracking cache: a trace lives as long as the order's cached state. */
export const TRACE_TTL_SECONDS = 24 * 3600;
/** Fields per order at most (an order's normal life writes about 40): past it, nothing more is recorded. */
export const TRACE_MAX_FIELDS = 400;

export type HandledOutcome = 'handled' | 'failed' | 'dead-lettered';

/**
 * KEYS: one trace hash per record, then the stats hash. ARGV[1] TTL, ARGV[2] cap, then per record:
 * entry field, entry JSON, handling field, handling JSON, group, attempt, outcome.
 */
const RECORD_HANDLED = `
local ttl, cap = tonumber(ARGV[1]), tonumber(ARGV[2])
local stats = KEYS[#KEYS]
for i = 1, #KEYS - 1 do
  local a = 2 + (i - 1) * 7
  if redis.call('HLEN', KEYS[i]) < cap then
    redis.call('HSETNX', KEYS[i], ARGV[a + 1], ARGV[a + 2])
    redis.call('HSET', KEYS[i], ARGV[a + 3], ARGV[a + 4])
  else
    redis.call('HSET', KEYS[i], 'truncated', '1')
  end
  redis.call('EXPIRE', KEYS[i], ttl)
  if tonumber(ARGV[a + 6]) > 1 then redis.call('HINCRBY', stats, ARGV[a + 5] .. '|retried', 1) end
  if ARGV[a + 7] == 'failed' then redis.call('HINCRBY', stats, ARGV[a + 5] .. '|failed', 1) end
end
return #KEYS - 1
`;

interface Report {
  orderId: string;
  fields: string[];
}

/** The order an entry belongs to: its payload's order_id, even when the envelope is invalid. */
function orderOf(fields: StreamFields, event: Envelope | undefined): string | undefined {
  const fromEvent = (event?.payload as { order_id?: unknown } | undefined)?.order_id;
  if (typeof fromEvent === 'string') return fromEvent;
  try {
    const payload = JSON.parse(fields.payload ?? '') as { order_id?: unknown };
    return typeof payload?.order_id === 'string' ? payload.order_id : undefined;
  } catch {
    return undefined;
  }
}

/** Buffers one batch's reports; `flush()` sends them in one script call. */
export class HandledReports {
  private buffer: Report[] = [];
  private readonly record;

  constructor(
    redis: Redis,
    private readonly group: string,
  ) {
    this.record = defineScript(redis, { name: 'record_handled', lua: RECORD_HANDLED, reply: z.number() });
  }

  add(
    entry: { stream: string; id: string; fields: StreamFields; attempt: number },
    outcome: HandledOutcome,
    event?: Envelope,
  ): void {
    const orderId = orderOf(entry.fields, event);
    if (!orderId) return;
    const f = entry.fields;
    const key = `${entry.stream}|${entry.id}`;
    const described = JSON.stringify({
      stream: entry.stream,
      entry_id: entry.id,
      event_id: f.event_id ?? '',
      event_type: f.event_type ?? '',
      source: f.source ?? '',
      causation_id: f.causation_id ? f.causation_id : null,
      timestamp: f.timestamp ?? '',
      replay_count: Number(f.replay_count ?? 0) || 0,
    });
    const handling = JSON.stringify({
      group: this.group,
      attempt: entry.attempt,
      outcome,
      at: new Date().toISOString(),
    });
    this.buffer.push({
      orderId,
      fields: [
        `e|${key}`,
        described,
        `h|${key}|${this.group}|${entry.attempt}`,
        handling,
        this.group,
        String(entry.attempt),
        outcome,
      ],
    });
  }

  /** Best effort: a lost report costs a line of a trace, never an event, so failures are only returned. */
  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    await this.record(
      [...batch.map((r) => TRACE_KEYS.order(r.orderId)), TRACE_KEYS.groupStats],
      [TRACE_TTL_SECONDS, TRACE_MAX_FIELDS, ...batch.flatMap((r) => r.fields)],
    );
  }
}
