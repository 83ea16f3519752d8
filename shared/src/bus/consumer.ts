import type Redis from 'ioredis';
import { STREAMS, type Envelope, type EventType } from '../contract';
import { fieldsFromList, fieldsToList, fromStreamFields, type StreamFields } from '../envelope';
import { AppError, errorMessage } from '../errors';
import { isInfraFailure } from '../infra-failure';
import type { Logger } from '../logger';
import { deadLetterFields } from './dead-letters';
import { backoffMs, LoopHealth, sleep } from './loop-health';
import type { BusMetrics } from './metrics';
import type { BusScripts } from './scripts';
import { HandledReports } from './trace';
import type { StreamTrimmer } from './trimmer';

export interface HandlerContext {
  stream: string;
  entryId: string;
  group: string;
  /** 1 on first delivery; the stream's own delivery counter after a claim. */
  attempt: number;
  logger: Logger;
}

export type Handler<T extends EventType> = (event: Envelope<T>, ctx: HandlerContext) => Promise<void>;
export type Handlers = { [T in EventType]?: Handler<T> };

export interface ConsumerOptions {
  group: string;
  consumer: string;
  streams: readonly string[];
  handlers: Handlers;
  /** Attempts before an entry is dead-lettered (STREAM_MAX_RETRIES). */
  maxRetries: number;
  /** Idle time after which a pending entry is reclaimed for another attempt (STREAM_CLAIM_IDLE_MS). */
  claimIdleMs: number;
  claimIntervalMs?: number;
  batchSize?: number;
  blockMs?: number;
  /** Bound on handlers running at once. */
  concurrency?: number;
  /** Entries with the same key run one after another, in stream order; default: payload.order_id. */
  partitionKey?: (event: Envelope) => string;
}

interface Entry {
  stream: string;
  id: string;
  fields: StreamFields;
  attempt: number;
}

type Outcome = 'ack' | 'pending' | 'dead-lettered';

export interface ConsumerDeps {
  /** Commands (XACK, XAUTOCLAIM, scripts). */
  redis: Redis;
  /** A connection of its own for blocking reads. */
  reader: Redis;
  scripts: BusScripts;
  metrics: BusMetrics;
  logger: Logger;
  deadLettersMaxLen: number;
  /** Trims the streams read, on the periodic tick. */
  trimmer?: StreamTrimmer;
}

function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-');
  const [bm, bs] = b.split('-');
  return Number(am) - Number(bm) || Number(as) - Number(bs);
}

const defaultKey = (event: Envelope): string => {
  const payload = event.payload as { order_id?: string };
  return payload.order_id ?? event.event_id;
};

/** What a handler is given. The child logger is made on first use: one per entry costs more than a no-op handler. */
class EntryContext implements HandlerContext {
  readonly stream: string;
  readonly entryId: string;
  readonly attempt: number;
  private child: Logger | undefined;

  constructor(
    entry: Entry,
    readonly group: string,
    private readonly parent: Logger,
    private readonly event: Envelope,
  ) {
    this.stream = entry.stream;
    this.entryId = entry.id;
    this.attempt = entry.attempt;
  }

  get logger(): Logger {
    return (this.child ??= this.parent.child({
      event_id: this.event.event_id,
      correlation_id: this.event.correlation_id,
      event_type: this.event.event_type,
    }));
  }
}

/**
 * One consumer of one group: reads new entries with XREADGROUP, reclaims stalled ones with XAUTOCLAIM on a
 * timer, runs typed handlers with bounded concurrency, acks a batch at once, and moves entries that keep
 * failing (or can never succeed) to `dead-letters`.
 */
export class StreamConsumer {
  private running = false;
  private loop: Promise<void> | undefined;
  private readerId: number | undefined;
  private nextClaimAt = 0;
  private stopping = new AbortController();
  private readonly health: LoopHealth;
  /** Settled entries, reported per batch for the order traces. */
  private readonly reports: HandledReports;
  private readonly o: Required<Omit<ConsumerOptions, 'claimIntervalMs'>> & { claimIntervalMs: number };

  constructor(
    options: ConsumerOptions,
    private readonly deps: ConsumerDeps,
  ) {
    this.o = {
      batchSize: 64,
      blockMs: 2_000,
      concurrency: 16,
      partitionKey: defaultKey,
      ...options,
      claimIntervalMs: options.claimIntervalMs ?? Math.max(20, Math.min(options.claimIdleMs / 2, 5_000)),
    };
    this.reports = new HandledReports(deps.redis, this.o.group);
    this.health = new LoopHealth(deps.logger, (reading) =>
      deps.metrics.reading.set({ group: this.o.group, consumer: this.o.consumer }, reading ? 1 : 0),
    );
  }

  /** Whether the last read of the streams worked (readiness reports a consumer that cannot read). */
  get reading(): { group: string; ok: boolean; error?: string } {
    return { group: this.o.group, ...this.health.state };
  }

  get name(): string {
    return this.o.consumer;
  }

  async start(): Promise<void> {
    if (this.running) return;
    await this.ensureGroups();
    this.readerId = Number(await this.deps.reader.client('ID'));
    this.stopping = new AbortController();
    this.running = true;
    this.loop = this.run();
  }

  /** Stops reading, lets in-flight handlers finish and ack, then returns. */
  async stop(): Promise<void> {
    if (!this.running) return this.loop;
    this.running = false;
    this.stopping.abort();
    // Wake the blocked XREADGROUP at once instead of waiting out BLOCK.
    if (this.readerId !== undefined) await this.deps.redis.client('UNBLOCK', this.readerId).catch(() => undefined);
    await this.loop;
  }

  /** Creates each stream's group unless it exists: at start, and again after Redis lost it (NOGROUP). */
  private async ensureGroups(): Promise<void> {
    for (const stream of this.o.streams) {
      try {
        // From the start of the stream: a group created after events were written still sees them.
        await this.deps.redis.xgroup('CREATE', stream, this.o.group, '0', 'MKSTREAM');
      } catch (error) {
        if (!errorMessage(error).includes('BUSYGROUP')) throw error;
      }
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (Date.now() >= this.nextClaimAt) {
          this.nextClaimAt = Date.now() + this.o.claimIntervalMs;
          await this.claimStalled();
          await this.refreshGauges();
          await this.deps.trimmer?.maybeTrim(this.o.streams);
        }
        if (!this.running) break;
        const block = Math.max(1, Math.min(this.o.blockMs, this.nextClaimAt - Date.now()));
        const entries = await this.readNew(block);
        this.health.succeeded();
        await this.process(entries);
      } catch (error) {
        if (!this.running) break;
        const failures = this.health.failed(error, { group: this.o.group });
        if (isInfraFailure(error)) this.deps.metrics.infraErrors.inc({ stream: '*', group: this.o.group });
        // Redis lost its data (FLUSHALL, restarted empty): the group is gone; recreate it and go on.
        if (errorMessage(error).includes('NOGROUP')) {
          await this.ensureGroups().then(
            () => this.deps.metrics.groupsRecreated.inc({ group: this.o.group }),
            () => undefined,
          );
        }
        await sleep(backoffMs(failures), this.stopping.signal);
      }
    }
  }

  private async readNew(blockMs: number): Promise<Entry[]> {
    const streams = this.o.streams;
    const reply = (await this.deps.reader.xreadgroup(
      'GROUP', this.o.group, this.o.consumer,
      'COUNT', this.o.batchSize, 'BLOCK', blockMs,
      'STREAMS', ...streams, ...streams.map(() => '>'),
    )) as [string, [string, string[]][]][] | null;
    if (!reply) return [];
    const entries = reply.flatMap(([stream, list]) =>
      list.map(([id, fields]) => ({ stream, id, fields: fieldsFromList(fields), attempt: 1 })),
    );
    // Redis groups the reply by stream; entry ids share one server clock, so sorting restores the order
    // in which events were written across streams (an order's `delivered` after its delivery's).
    return reply.length > 1 ? entries.sort((a, b) => compareIds(a.id, b.id)) : entries;
  }

  private async claimStalled(): Promise<void> {
    for (const stream of this.o.streams) {
      let start = '0-0';
      // Bounded per tick, so reclaiming never starves new work.
      for (let round = 0; round < 10 && this.running; round++) {
        const [next, claimed, deleted] = await this.deps.scripts.claimWithCounts(
          stream, STREAMS.deadLetters, this.o.group, this.o.consumer,
          { minIdleMs: this.o.claimIdleMs, start, count: this.o.batchSize, deadLettersMaxLen: this.deps.deadLettersMaxLen },
        );
        if (deleted.length > 0) {
          // Already a dead letter (same script): lost from the stream before this group acked it.
          this.deps.metrics.pendingTrimmed.inc({ stream, group: this.o.group }, deleted.length);
          this.deps.logger.error({ stream, group: this.o.group, entry_ids: deleted }, 'pending entries were deleted from the stream before being acked; dead-lettered as trimmed');
        }
        const entries = claimed
          .filter(([, list]) => list !== null)
          .map(([id, list, count]) => ({ stream, id, fields: fieldsFromList(list ?? []), attempt: Number(count) }));
        if (entries.length > 0) {
          this.deps.metrics.retried.inc({ stream, group: this.o.group }, entries.length);
          await this.process(entries);
        }
        if (next === '0-0') break;
        start = next;
      }
    }
  }

  private async refreshGauges(): Promise<void> {
    for (const stream of this.o.streams) {
      const length = await this.deps.redis.xlen(stream).catch(() => undefined);
      if (length !== undefined) this.deps.metrics.streamLength.set({ stream }, length);
      const groups = (await this.deps.redis.xinfo('GROUPS', stream).catch(() => [])) as unknown[][];
      for (const info of groups) {
        const fields = fieldsFromList(info.map(String));
        if (fields.name !== this.o.group) continue;
        const labels = { stream, group: this.o.group };
        this.deps.metrics.pending.set(labels, Number(fields.pending ?? 0));
        if (fields.lag !== undefined && fields.lag !== '') this.deps.metrics.lag.set(labels, Number(fields.lag));
      }
    }
  }

  /** Runs a batch: entries with one key in order, keys in parallel up to the bound; then one XACK per stream. */
  private async process(entries: Entry[]): Promise<void> {
    if (entries.length === 0) return;
    const lanes = new Map<string, { entry: Entry; event?: Envelope }[]>();
    const toAck: Entry[] = [];
    for (const entry of entries) {
      const decoded = fromStreamFields(entry.fields);
      if (!decoded.ok && decoded.reason === 'unknown_type') {
        this.deps.metrics.ignored.inc({ stream: entry.stream, group: this.o.group, reason: 'unknown_type' });
        toAck.push(entry);
        continue;
      }
      const type = entry.fields.event_type ?? '';
      if (decoded.ok && !this.o.handlers[decoded.event.event_type]) {
        this.deps.metrics.ignored.inc({ stream: entry.stream, group: this.o.group, reason: 'not_handled' });
        toAck.push(entry);
        continue;
      }
      if (!decoded.ok) {
        if ((await this.deadLetter(entry, type, `invalid envelope: ${decoded.error}`)) === 'dead-lettered')
          this.reports.add(entry, 'dead-lettered');
        continue;
      }
      const key = this.o.partitionKey(decoded.event);
      const lane = lanes.get(key) ?? [];
      lane.push({ entry, event: decoded.event });
      lanes.set(key, lane);
    }

    const queue = [...lanes.values()];
    let next = 0;
    const worker = async () => {
      for (let lane = queue[next++]; lane; lane = queue[next++]) {
        for (const { entry, event } of lane) {
          const outcome = await this.settle(entry, event!);
          this.reports.add(entry, outcome === 'ack' ? 'handled' : outcome === 'pending' ? 'failed' : outcome, event);
          if (outcome === 'ack') toAck.push(entry);
          // The rest of this key waits behind it: left pending, XAUTOCLAIM hands them back in id order.
          else if (outcome === 'pending') break;
        }
      }
    };
    // Workers never reject, so every one of them has finished before the batch is acked.
    await Promise.all(Array.from({ length: Math.min(this.o.concurrency, queue.length) }, worker));
    await Promise.all([
      this.ack(toAck),
      this.reports.flush().catch((error: unknown) => this.deps.logger.debug({ err: error }, 'trace report lost')),
    ]);
  }

  /** `handle`, but an unexpected throw leaves the entry pending instead of rejecting the batch. */
  private async settle(entry: Entry, event: Envelope): Promise<Outcome> {
    try {
      return await this.handle(entry, event);
    } catch (error) {
      this.deps.logger.error({ err: error, group: this.o.group, stream: entry.stream, entry_id: entry.id }, 'entry not settled; left pending');
      return 'pending';
    }
  }

  private async handle(entry: Entry, event: Envelope): Promise<Outcome> {
    if (entry.attempt > this.o.maxRetries) {
      return this.deadLetter(entry, event.event_type, `no attempt completed within ${this.o.maxRetries} deliveries`);
    }
    const labels = { stream: entry.stream, group: this.o.group, type: event.event_type };
    const handler = this.o.handlers[event.event_type] as Handler<EventType>;
    this.deps.metrics.consumed.inc(labels);
    const started = performance.now();
    const stopTimer = () => this.deps.metrics.handlerDuration.observe(labels, (performance.now() - started) / 1000);
    const ctx = new EntryContext(entry, this.o.group, this.deps.logger, event);
    try {
      await this.untilDependenciesAnswer(entry, ctx, () => handler(event, ctx));
      stopTimer();
      this.deps.metrics.acked.inc(labels);
      return 'ack';
    } catch (error) {
      stopTimer();
      this.deps.metrics.failed.inc(labels);
      if (isInfraFailure(error)) return 'pending'; // stopping mid-outage: the next owner retries it
      const retryable = !(error instanceof AppError) || error.retryable;
      if (!retryable || entry.attempt >= this.o.maxRetries) {
        ctx.logger.error({ err: error, attempt: entry.attempt }, 'handler failed for good; dead-lettering');
        return this.deadLetter(entry, event.event_type, errorMessage(error));
      }
      ctx.logger.warn({ err: error, attempt: entry.attempt }, 'handler failed; left pending for retry');
      return 'pending';
    }
  }

  /**
   * Runs `attempt` again, with backoff, for as long as it fails for an infrastructure reason (MongoDB or Redis
   * down, a timeout): an outage is not the message's fault, so it must not use up STREAM_MAX_RETRIES. The
   * attempt count is the stream's own delivery counter, raised by each XAUTOCLAIM; so the entry is kept here,
   * in process, rather than left for a claim, and `XCLAIM … JUSTID` (which does not raise the counter) resets
   * its idle time before each retry so that no other consumer claims it meanwhile. The batch waits, so reading
   * pauses until the dependency answers. Only stopping ends the wait (the entry stays pending).
   */
  private async untilDependenciesAnswer(entry: Entry, ctx: HandlerContext, attempt: () => Promise<void>): Promise<void> {
    for (let failures = 1; ; failures++) {
      try {
        return await attempt();
      } catch (error) {
        if (!isInfraFailure(error) || !this.running) throw error;
        this.deps.metrics.infraErrors.inc({ stream: entry.stream, group: this.o.group });
        if (failures === 1) ctx.logger.warn({ err: error, attempt: entry.attempt }, 'dependency unavailable; retrying in place, no attempt counted');
        await sleep(Math.min(backoffMs(failures), this.o.claimIdleMs / 3), this.stopping.signal);
        if (!this.running) throw error;
        const owned = await this.deps.redis
          .xclaim(entry.stream, this.o.group, this.o.consumer, 0, entry.id, 'JUSTID')
          .catch(() => [entry.id]); // Redis down too: keep trying; the claim is refreshed once it answers
        if (owned.length === 0) throw error; // no longer pending (acked elsewhere, or trimmed): not ours to finish
      }
    }
  }

  private async deadLetter(entry: Entry, type: string, lastError: string): Promise<Outcome> {
    const fields = deadLetterFields(
      {
        original_stream: entry.stream,
        original_id: entry.id,
        group: this.o.group,
        consumer: this.o.consumer,
        attempts: String(entry.attempt),
        last_error: lastError.slice(0, 2_000),
        failed_at: new Date().toISOString(),
      },
      entry.fields,
    );
    let id: string | null;
    try {
      id = await this.deps.scripts.deadLetter(
        entry.stream, STREAMS.deadLetters, this.o.group, entry.id, this.deps.deadLettersMaxLen, fieldsToList(fields),
      );
    } catch (error) {
      // Still pending: a later claim tries again.
      this.deps.logger.error({ err: error, group: this.o.group, stream: entry.stream, entry_id: entry.id }, 'dead-letter write failed; left pending');
      return 'pending';
    }
    if (id) this.deps.metrics.deadLettered.inc({ stream: entry.stream, group: this.o.group, type: type || 'unknown' });
    return 'dead-lettered';
  }

  private async ack(entries: Entry[]): Promise<void> {
    if (entries.length === 0) return;
    const byStream = new Map<string, string[]>();
    for (const e of entries) {
      const ids = byStream.get(e.stream);
      if (ids) ids.push(e.id);
      else byStream.set(e.stream, [e.id]);
    }
    const pipeline = this.deps.redis.pipeline();
    for (const [stream, ids] of byStream) pipeline.xack(stream, this.o.group, ...ids);
    // Left unacked, the entries are simply handled again after a claim (handlers are idempotent): say so.
    for (const [error] of (await pipeline.exec()) ?? []) {
      if (error) this.deps.logger.warn({ err: error, group: this.o.group }, 'XACK failed; entries will be redelivered');
    }
  }
}
