import type { RequestHandler } from 'express';
import type Redis from 'ioredis';
import { z } from 'zod';
import { counter, fieldsFromList, sendError, type Logger } from '@pizza/shared';
import { GROUPS, STREAM_TOPOLOGY, type StreamName } from '@pizza/shared/contract';

const int = (fallback: number, min: number) => z.coerce.number().int().min(min).default(fallback);

/** Bounds past which the order API sheds new orders with a fast 503 instead of queueing them. */
export const AdmissionEnv = z.object({
  /** Order placements this process runs at once (each one is a MongoDB transaction). */
  ORDERS_MAX_IN_FLIGHT: int(8, 1),
  /** Entries the groups reading the order service's streams may have unread or unacked; `0`: unchecked. */
  ORDERS_MAX_BACKLOG: int(1_000, 0),
});
export type AdmissionConfig = z.infer<typeof AdmissionEnv>;

export type ShedReason = 'in_flight' | 'backlog';

/** What a shed request tells the client to wait, in seconds: load passes quickly or not at all. */
export const SHED_RETRY_AFTER_SECONDS = 1;
/** How old the backlog figure may be: read at most this often, never while a request waits. */
export const BACKLOG_READ_INTERVAL_MS = 250;

/** The admission decision: null admits, else why the request is shed. */
export function shedReason(
  load: { inFlight: number; backlog: number },
  config: AdmissionConfig,
): ShedReason | null {
  if (load.inFlight >= config.ORDERS_MAX_IN_FLIGHT) return 'in_flight';
  if (config.ORDERS_MAX_BACKLOG > 0 && load.backlog > config.ORDERS_MAX_BACKLOG) return 'backlog';
  return null;
}

/**
 * Groups whose lag does not hold an order back: the notifications gateway only shows progress. While it is
 * down its backlog grows, and orders must still be taken (the tracking page polls meanwhile).
 */
const VIEW_GROUPS: readonly string[] = [GROUPS.notifications];

/** The streams the order service writes that some group reads: their backlog is work it has handed on. */
const FED_STREAMS = (Object.keys(STREAM_TOPOLOGY) as StreamName[]).filter(
  (s) =>
    STREAM_TOPOLOGY[s].producers.includes('orders') &&
    STREAM_TOPOLOGY[s].groups.some((g) => !VIEW_GROUPS.includes(g)),
);

/**
 * The largest `lag + pending` of any group on `streams` that moves orders on (not a view's): one round trip, and a second only for groups whose
 * lag Redis cannot tell (a group made at `$` on a stream that had entries, or after deletions): their unread
 * entries are counted with XRANGE, at most `cap` of them.
 */
export async function readBacklog(
  redis: Redis,
  cap: number,
  streams: readonly string[] = FED_STREAMS,
): Promise<number> {
  const pipeline = redis.pipeline();
  for (const stream of streams) pipeline.xinfo('GROUPS', stream);
  const replies = (await pipeline.exec()) ?? [];
  const unknownLag = redis.pipeline();
  const pendingOfUnknown: number[] = [];
  let largest = 0;
  replies.forEach(([error, reply], i) => {
    if (error) return; // no such stream yet: nothing handed on
    for (const group of reply as unknown[][]) {
      const fields = fieldsFromList(group.map(String));
      if (VIEW_GROUPS.includes(fields.name ?? '')) continue;
      const pending = Number(fields.pending ?? 0);
      const lag = fields.lag === undefined || fields.lag === '' ? NaN : Number(fields.lag);
      if (Number.isFinite(lag)) largest = Math.max(largest, lag + pending);
      else {
        unknownLag.xrange(streams[i]!, `(${fields['last-delivered-id'] ?? '0-0'}`, '+', 'COUNT', cap);
        pendingOfUnknown.push(pending);
      }
    }
  });
  if (pendingOfUnknown.length === 0) return largest;
  ((await unknownLag.exec()) ?? []).forEach(([error, unread], i) => {
    if (!error) largest = Math.max(largest, (unread as unknown[]).length + pendingOfUnknown[i]!);
  });
  return largest;
}

/**
 * Admission control of order placement. A request past a bound gets `503 overloaded` with Retry-After at
 * once, before it costs a rate-limit count or a transaction, so accepted orders keep a short queue and the
 * excess learns quickly to come back. The backlog is read in the background, at most every
 * BACKLOG_READ_INTERVAL_MS; while Redis cannot be read the last figure stands (an order must not fail
 * because a gauge is away).
 */
export function admission(config: AdmissionConfig, deps: { redis: Redis; logger: Logger }): RequestHandler {
  const shed = counter({
    name: 'orders_shed_total',
    help: 'Order placements refused with 503 by admission control: in_flight, backlog',
    labelNames: ['reason'],
  });
  let inFlight = 0;
  let backlog = 0;
  let readAt = 0;
  let reading = false;
  const refreshBacklog = () => {
    if (config.ORDERS_MAX_BACKLOG === 0 || reading || Date.now() - readAt < BACKLOG_READ_INTERVAL_MS) return;
    reading = true;
    readAt = Date.now();
    readBacklog(deps.redis, config.ORDERS_MAX_BACKLOG + 1)
      .then((value) => (backlog = value))
      .catch((err: unknown) => deps.logger.debug({ err }, 'backlog not readable; the last figure stands'))
      .finally(() => (reading = false));
  };
  return (_req, res, next) => {
    refreshBacklog();
    const reason = shedReason({ inFlight, backlog }, config);
    if (reason) {
      shed.inc({ reason });
      res.setHeader('Retry-After', String(SHED_RETRY_AFTER_SECONDS));
      sendError(res, 503, 'overloaded', `Too many orders in progress (${reason}); retry later`);
      return;
    }
    inFlight++;
    let done = false;
    const release = () => {
      if (!done) inFlight--;
      done = true;
    };
    res.once('finish', release);
    res.once('close', release);
    next();
  };
}
