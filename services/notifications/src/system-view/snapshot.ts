import { SERVICE_GROUP, SERVICES, STREAMS, type SystemSnapshot } from '@pizza/shared';
import type { DeadLetterTally } from './dead-letter-tally';
import type { SystemReading } from './read-system';

/** Rates kept per stream: three minutes of one-second ticks. */
export const HISTORY_LENGTH = 180;
/** A consumer that has not read for this long no longer counts as its service being alive. */
export const LIVENESS_WINDOW_MS = 10_000;

/** Turns successive readings into snapshots: rates from entries-added deltas, and a rate history per stream. */
export class SnapshotBuilder {
  private previous: SystemReading | undefined;
  private readonly history = new Map<string, number[]>();

  build(reading: SystemReading, tally: DeadLetterTally): SystemSnapshot {
    const before = this.previous;
    this.previous = reading;
    const seconds = before ? Math.max(0.001, (reading.atMs - before.atMs) / 1000) : 1;
    const streams = reading.streams.map((s) => {
      const old = before?.streams.find((o) => o.stream === s.stream);
      // A counter reset (stream deleted, Redis flushed) reads as no traffic, never a negative rate.
      const rate = old ? Math.max(0, s.added - old.added) / seconds : 0;
      const history = this.history.get(s.stream) ?? [];
      history.push(Math.round(rate * 10) / 10);
      if (history.length > HISTORY_LENGTH) history.shift();
      this.history.set(s.stream, history);
      return {
        stream: s.stream,
        length: s.length,
        rate: Math.round(rate * 10) / 10,
        history: [...history],
        groups: s.groups.map((g) => ({
          group: g.group,
          lag: g.lag,
          pending: g.pending,
          consumers: g.consumers,
          retried: Number(reading.groupStats[`${g.group}|retried`] ?? 0) || 0,
          dead_lettered: tally.of(s.stream, g.group),
        })),
      };
    });
    const services = SERVICES.map((service) => {
      const idles = reading.streams
        .flatMap((s) => s.groups)
        .filter((g) => g.group === SERVICE_GROUP[service] && g.minIdleMs !== null)
        .map((g) => g.minIdleMs!);
      const idle = idles.length === 0 ? null : Math.min(...idles);
      return {
        service,
        alive: idle !== null && idle < LIVENESS_WINDOW_MS,
        idle_ms: idle,
        outbox_age_s: reading.outboxAges[service] ?? null,
      };
    });
    return {
      type: 'system',
      at: new Date(reading.atMs).toISOString(),
      streams,
      services,
      dead_letters: reading.streams.find((s) => s.stream === STREAMS.deadLetters)?.length ?? 0,
      orders_by_status: reading.ordersByStatus,
      delivered_last_minute: reading.deliveredLastMinute,
    };
  }
}
