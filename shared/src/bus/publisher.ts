import type Redis from 'ioredis';
import { STREAMS, type Envelope } from '../contract';
import { fieldsToList, streamOf, toStreamFields, type StreamFields } from '../envelope';
import { withProducerSpans } from '../tracing';
import type { BusMetrics } from './metrics';

export interface RawEntry {
  stream: string;
  fields: StreamFields;
}

export interface PublisherOptions {
  redis: Redis;
  metrics: BusMetrics;
  /** Approximate MAXLEN for `dead-letters`, which keeps far more. */
  deadLettersMaxLen: number;
}

/**
 * Writes entries with XADD, pipelined: one round trip for a whole batch. Working streams get no MAXLEN: a
 * length cap would trim entries a lagging group has not read; the StreamTrimmer trims them safely instead.
 */
export class Publisher {
  constructor(private readonly options: PublisherOptions) {}

  async publish(events: Envelope | readonly Envelope[]): Promise<string[]> {
    const list = Array.isArray(events) ? (events as readonly Envelope[]) : [events as Envelope];
    return this.publishRaw(
      withProducerSpans(list, streamOf).map((event) => ({
        stream: streamOf(event),
        fields: toStreamFields(event),
      })),
    );
  }

  /** Entries whose fields are already flat: the outbox relay and dead-letter replay use this. */
  async publishRaw(entries: readonly RawEntry[]): Promise<string[]> {
    if (entries.length === 0) return [];
    const { redis, deadLettersMaxLen, metrics } = this.options;
    const pipeline = redis.pipeline();
    for (const { stream, fields } of entries) {
      if (stream === STREAMS.deadLetters) pipeline.xadd(stream, 'MAXLEN', '~', deadLettersMaxLen, '*', ...fieldsToList(fields));
      else pipeline.xadd(stream, '*', ...fieldsToList(fields));
    }
    const results = (await pipeline.exec()) ?? [];
    const ids: string[] = [];
    results.forEach(([error, id], i) => {
      if (error) throw error;
      ids.push(String(id));
      const { stream, fields } = entries[i]!;
      metrics.published.inc({ stream, type: fields.event_type ?? 'unknown' });
    });
    return ids;
  }
}
