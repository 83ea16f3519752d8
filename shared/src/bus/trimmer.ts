import type Redis from 'ioredis';
import { z } from 'zod';
import { defineScript } from '../redis-script';
import type { Logger } from '../logger';
import type { BusMetrics } from './metrics';

/**
 * trim_acknowledged: trims a working stream back towards ARGV[1] entries, but never below the oldest entry
 * any of its consumer groups still needs: per group, its first pending id (delivered, not acked) or else its
 * last-delivered id (everything after it is unread). XTRIM MINID keeps that entry and everything newer.
 * KEYS[1] the stream. ARGV[1] target length.
 * One script, so no group can be created or rewound between the look and the trim: many replicas may run it
 * at once. `~` and LIMIT (at most the excess over the target) only ever trim less than asked, never more.
 * A stream without groups (nobody reads it yet) is simply kept to the newest ARGV[1] entries.
 * Returns {entries trimmed, length before}.
 */
const TRIM_ACKNOWLEDGED = `
local len = redis.call('XLEN', KEYS[1])
local excess = len - tonumber(ARGV[1])
if excess <= 0 then return {0, len} end
local function older(a, b)
  local ams, aseq = string.match(a, '^(%d+)-(%d+)$')
  local bms, bseq = string.match(b, '^(%d+)-(%d+)$')
  ams, bms = tonumber(ams), tonumber(bms)
  if ams ~= bms then return ams < bms end
  return tonumber(aseq) < tonumber(bseq)
end
local floor = nil
for _, g in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
  local info = {}
  for i = 1, #g, 2 do info[g[i]] = g[i + 1] end
  local need = info['last-delivered-id']
  if tonumber(info['pending']) > 0 then
    local first = redis.call('XPENDING', KEYS[1], info['name'])[2]
    if first and older(first, need) then need = first end
  end
  if floor == nil or older(need, floor) then floor = need end
end
if floor == nil then
  return {redis.call('XTRIM', KEYS[1], 'MAXLEN', '~', ARGV[1]), len}
end
return {redis.call('XTRIM', KEYS[1], 'MINID', '~', floor, 'LIMIT', excess), len}
`;

export interface TrimmerOptions {
  /** STREAM_MAXLEN: the length trimming brings a stream back to when its groups allow it. */
  maxLen: number;
  /** STREAM_TRIM_INTERVAL_MS: at most one trim per stream per interval, per process. */
  intervalMs: number;
}

/**
 * Keeps working streams short without ever dropping an entry a group has not acknowledged (XADD MAXLEN
 * would: it trims by length, read or not). A stream with a lagging group grows instead, visible in
 * `bus_stream_length` and `bus_group_lag`. Consumers call `maybeTrim` on their periodic tick.
 */
export class StreamTrimmer {
  private readonly nextAt = new Map<string, number>();
  private readonly command: (stream: string, maxLen: number) => Promise<[number, number]>;

  constructor(
    redis: Redis,
    private readonly options: TrimmerOptions,
    private readonly metrics: BusMetrics,
    private readonly logger: Logger,
  ) {
    const trimAcknowledged = defineScript(redis, {
      name: 'trim_acknowledged',
      lua: TRIM_ACKNOWLEDGED,
      reply: z.tuple([z.number(), z.number()]),
    });
    this.command = (stream, maxLen) => trimAcknowledged([stream], [maxLen]);
  }

  /** Trims each stream whose interval has passed. A failure is logged and waits for the next interval. */
  async maybeTrim(streams: readonly string[]): Promise<void> {
    const now = Date.now();
    for (const stream of streams) {
      if (now < (this.nextAt.get(stream) ?? 0)) continue;
      this.nextAt.set(stream, now + this.options.intervalMs);
      await this.trim(stream).catch((error: unknown) => this.logger.warn({ err: error, stream }, 'stream trim failed; next interval retries'));
    }
  }

  /** One trim now; returns how many entries went and the length left. */
  async trim(stream: string): Promise<{ trimmed: number; length: number }> {
    const [trimmed, before] = await this.command(stream, this.options.maxLen);
    const length = Number(before) - Number(trimmed);
    if (trimmed > 0) this.metrics.trimmed.inc({ stream }, Number(trimmed));
    this.metrics.streamLength.set({ stream }, length);
    return { trimmed: Number(trimmed), length };
  }
}
