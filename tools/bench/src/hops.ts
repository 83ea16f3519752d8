import type Redis from 'ioredis';
import { fieldsFromList, STREAMS } from '@pizza/shared';
import { summarize, type Summary } from './stats';

/**
 * Event-bus hop latency, read back from the streams after a run (XRANGE). For every entry with a
 * causation_id whose parent is in the window:
 *   hop = (ms part of the child's entry id, i.e. when Redis wrote it) − (the parent's envelope `timestamp`,
 *         i.e. when the parent event was built).
 * One hop therefore covers the parent's outbox relay, Redis, the consumer's read, the handler (its MongoDB
 * transaction or simulator timer) and the child's own publish. All on one machine, so one clock.
 */
export const HOP_DEFINITION =
  'hop = child entry-id time (written) − parent envelope timestamp (built), per causation_id, from XRANGE';

const WORKING_STREAMS = Object.values(STREAMS).filter((s) => s !== STREAMS.deadLetters);

interface Entry {
  stream: string;
  idMs: number;
  eventId: string;
  eventType: string;
  causationId: string;
  timestampMs: number;
}

export interface HopReport {
  definition: string;
  overall: Summary;
  /** Per `parent type → child type`. */
  byEdge: Record<string, Summary>;
  /** Entries written in the window, all working streams together. */
  entriesWritten: number;
  /** Entries × consumer groups of their stream: the reads and acks the bus made. */
  entriesConsumed: number;
  windowMs: number;
}

async function readWindow(redis: Redis, stream: string, fromMs: number, toMs: number): Promise<Entry[]> {
  const entries: Entry[] = [];
  let start = `${Math.floor(fromMs)}-0`;
  const end = `${Math.ceil(toMs)}-18446744073709551615`;
  for (;;) {
    const page = await redis.xrange(stream, start, end, 'COUNT', 5000);
    for (const [id, list] of page) {
      const f = fieldsFromList(list);
      entries.push({
        stream,
        idMs: Number(id.split('-')[0]),
        eventId: f.event_id ?? '',
        eventType: f.event_type ?? '',
        causationId: f.causation_id ?? '',
        timestampMs: Date.parse(f.timestamp ?? ''),
      });
    }
    if (page.length < 5000) return entries;
    start = `(${page[page.length - 1]![0]}`;
  }
}

async function groupsOf(redis: Redis, stream: string): Promise<number> {
  const groups = (await redis.xinfo('GROUPS', stream).catch(() => [])) as unknown[];
  return groups.length;
}

export async function measureHops(
  redis: Redis,
  window: { fromMs: number; toMs: number },
): Promise<HopReport> {
  const all: Entry[] = [];
  let consumed = 0;
  for (const stream of WORKING_STREAMS) {
    const entries = await readWindow(redis, stream, window.fromMs, window.toMs);
    consumed += entries.length * (await groupsOf(redis, stream));
    all.push(...entries);
  }
  const byId = new Map<string, Entry>();
  for (const e of all) if (e.eventId && !byId.has(e.eventId)) byId.set(e.eventId, e);
  const hops: number[] = [];
  const edges = new Map<string, number[]>();
  for (const child of all) {
    const parent = child.causationId ? byId.get(child.causationId) : undefined;
    if (!parent || !Number.isFinite(parent.timestampMs)) continue;
    const hop = child.idMs - parent.timestampMs;
    hops.push(hop);
    const edge = `${parent.eventType} → ${child.eventType}`;
    const list = edges.get(edge) ?? [];
    list.push(hop);
    edges.set(edge, list);
  }
  return {
    definition: HOP_DEFINITION,
    overall: summarize(hops),
    byEdge: Object.fromEntries([...edges].map(([k, v]) => [k, summarize(v)])),
    entriesWritten: all.length,
    entriesConsumed: consumed,
    windowMs: window.toMs - window.fromMs,
  };
}
