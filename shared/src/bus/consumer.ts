import type Redis from 'ioredis';
import type { ChainableCommander } from 'ioredis';
import { STREAMS, type Envelope, type EventType } from '../contract';
import { fieldsFromList, fieldsToList, fromStreamFields, type StreamFields } from '../envelope';
import { AppError, errorMessage } from '../errors';
import { isInfraFailure } from '../infra-failure';
import type { Logger } from '../logger';
import { inBatchSpan, inConsumerSpan, inTraceOf, type ConsumedEntry } from '../tracing';
import { deadLetterFields, replayedForAnotherGroup } from './dead-letters';
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
  /** The W3C traceparent of this entry's consumer span when tracing is on: for what a handler passes on besides events. */
  traceparent?: string;
}

export type Handler<T extends EventType> = (event: Envelope<T>, ctx: HandlerContext) => Promise<void>;
export type Handlers = { [T in EventType]?: Handler<T> };

/** One entry of a batch: its event, and what its own handler would be given. */
export interface BatchEntry {
  event: Envelope;
  ctx: HandlerContext;
}
/**
 * Applies every entry of one read at once (e.g. in one transaction), in stream order. Resolving means every
 * entry was applied: they are acked together. Rejecting hands each entry to its own handler, one by one, as
 * if there were no batch; so whatever a rejected batch did apply must be a no-op when applied again (the
 * idempotency every handler has anyway). An infrastructure failure is retried in place, like a handler's.
 */
export type BatchHandler = (entries: readonly BatchEntry[]) => Promise<void>;

export interface ConsumerOptions {
  group: string;
  consumer: string;
  streams: readonly string[];
  handlers: Handlers;
  /**
   * Applies all the handled entries of one read together; the handlers are its fallback, one entry at a
   * time. Only what one read returned is batched: nothing waits to fill a batch.
   */
  batchHandler?: BatchHandler;
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
type Work = { entry: Entry; event: Envelope };

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
  traceparent: string | undefined;
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

  /** What the consumer span of this entry records. */
  get traced(): ConsumedEntry {
    return {
      stream: this.stream,
      group: this.group,
      entryId: this.entryId,
      attempt: this.attempt,
      event: this.event,
    };
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
  private readonly o: Required<Omit<ConsumerOptions, 'claimIntervalMs' | 'batchHandler'>> &
    Pick<ConsumerOptions, 'batchHandler'> & { claimIntervalMs: number };
  /** Settled entries whose XACK goes out with the next read, in the same round trip. */
  private unacked: Entry[] = [];
  /** Settled entries, reported per batch for the order traces. */
  private readonly reports: HandledReports;
  private isCaughtUp = false;
  private markCaughtUp!: () => void;
  /**
   * Settles once a read has returned less than a full batch and what it returned is handled: the backlog
   * found at start is behind us. Until then "not seen yet" does not mean "does not exist".
   */
  readonly caughtUp = new Promise<void>((resolve) => (this.markCaughtUp = resolve));

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
    if (this.readerId !== undefined)
      await this.deps.redis.client('UNBLOCK', this.readerId).catch(() => undefined);
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
        // Until caught up, reads do not wait for new entries: an empty stream is caught up at once.
        const block = this.isCaughtUp
          ? Math.max(1, Math.min(this.o.blockMs, this.nextClaimAt - Date.now()))
          : 1;
        const entries = await this.readNew(block);
        this.health.succeeded();
        await this.process(entries);
        if (!this.isCaughtUp && entries.length < this.o.batchSize) {
          this.isCaughtUp = true;
          this.markCaughtUp();
        }
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
    await this.ack(this.unacked.splice(0));
  }

  /**
   * XREADGROUP, preceded in the same pipeline (one round trip) by the XACKs of what was settled since the last
   * read. Both go on the reader's connection: Redis runs the XACKs before the read blocks.
   */
  private async readNew(blockMs: number): Promise<Entry[]> {
    const streams = this.o.streams;
    const acks = this.unacked.splice(0);
    const pipeline = this.deps.reader.pipeline();
    const ackCount = this.queueAcks(pipeline, acks);
    pipeline.xreadgroup(
      'GROUP',
      this.o.group,
      this.o.consumer,
      'COUNT',
      this.o.batchSize,
      'BLOCK',
      blockMs,
      'STREAMS',
      ...streams,
      ...streams.map(() => '>'),
    );
    const replies = await pipeline.exec().catch((error: unknown) => {
      this.unacked.push(...acks);
      throw error;
    });
    this.ackFailures((replies ?? []).slice(0, ackCount), acks);
    const [readError, raw] = replies?.[ackCount] ?? [new Error('XREADGROUP got no reply'), null];
    if (readError) throw readError;
    const reply = raw as [string, [string, string[]][]][] | null;
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
          stream,
          STREAMS.deadLetters,
          this.o.group,
          this.o.consumer,
          {
            minIdleMs: this.o.claimIdleMs,
            start,
            count: this.o.batchSize,
            deadLettersMaxLen: this.deps.deadLettersMaxLen,
          },
        );
        if (deleted.length > 0) {
          // Already a dead letter (same script): lost from the stream before this group acked it.
          this.deps.metrics.pendingTrimmed.inc({ stream, group: this.o.group }, deleted.length);
          // Dead letters like any other (BusDeadLetters fires); their event type went with their fields.
          this.deps.metrics.deadLettered.inc({ stream, group: this.o.group, type: 'unknown' }, deleted.length);
          this.deps.logger.error(
            { stream, group: this.o.group, entry_ids: deleted },
            'pending entries were deleted from the stream before being acked; dead-lettered as trimmed',
          );
        }
        const entries = claimed
          .filter(([, list]) => list !== null)
          .map(([id, list, count]) => ({
            stream,
            id,
            fields: fieldsFromList(list ?? []),
            attempt: Number(count),
          }));
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
        if (fields.lag !== undefined && fields.lag !== '')
          this.deps.metrics.lag.set(labels, Number(fields.lag));
      }
    }
  }

  /**
   * Runs what one read (or claim) returned: all at once through the batch handler if there is one; else, or
   * if the batch fails, entries with one key in order and keys in parallel up to the bound. The acks go out
   * with the next read.
   */
  private async process(entries: Entry[]): Promise<void> {
    if (entries.length === 0) return;
    const work: Work[] = [];
    const toAck: Entry[] = [];
    for (const entry of entries) {
      if (replayedForAnotherGroup(entry.fields, this.o.group)) {
        this.deps.metrics.ignored.inc({
          stream: entry.stream,
          group: this.o.group,
          reason: 'replayed_for_another_group',
        });
        toAck.push(entry);
        continue;
      }
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
      work.push({ entry, event: decoded.event });
    }
    const oneByOne = await this.applyBatch(work, toAck);

    const lanes = new Map<string, Work[]>();
    for (const item of oneByOne) {
      const key = this.o.partitionKey(item.event);
      const lane = lanes.get(key);
      if (lane) lane.push(item);
      else lanes.set(key, [item]);
    }
    const queue = [...lanes.values()];
    let next = 0;
    const worker = async () => {
      for (let lane = queue[next++]; lane; lane = queue[next++]) {
        for (const { entry, event } of lane) {
          const outcome = await this.settle(entry, event);
          this.reports.add(
            entry,
            outcome === 'ack' ? 'handled' : outcome === 'pending' ? 'failed' : outcome,
            event,
          );
          if (outcome === 'ack') toAck.push(entry);
          // The rest of this key waits behind it: left pending, XAUTOCLAIM hands them back in id order.
          else if (outcome === 'pending') break;
        }
      }
    };
    // Workers never reject, so every one of them has finished before the batch is acked.
    await Promise.all(Array.from({ length: Math.min(this.o.concurrency, queue.length) }, worker));
    this.unacked.push(...toAck);
    // Not awaited: the trace is a view, so its one script call per batch never holds the next read back.
    this.reports
      .flush()
      .catch((error: unknown) => this.deps.logger.debug({ err: error }, 'trace report lost'));
  }

  /**
   * Hands the entries to the batch handler in one call when there are two or more (one entry goes to its own
   * handler: the same work). Returns what is left for the per-entry handlers: nothing but the entries past
   * their last attempt (dead-lettered there) if the batch applied; everything if it failed, so that a poison
   * entry is retried and dead-lettered alone; nothing at all if the consumer stopped during an outage (the
   * entries stay pending for the next owner).
   */
  private async applyBatch(work: Work[], toAck: Entry[]): Promise<Work[]> {
    const batch = this.o.batchHandler;
    const fresh = work.filter((w) => w.entry.attempt <= this.o.maxRetries);
    if (!batch || fresh.length < 2) return work;
    const spent = work.filter((w) => w.entry.attempt > this.o.maxRetries);
    const items = fresh.map(({ entry, event }) => ({
      event,
      ctx: new EntryContext(entry, this.o.group, this.deps.logger, event),
    }));
    const started = performance.now();
    try {
      await inBatchSpan(
        items.map((item) => item.ctx.traced),
        (traceparents) => {
          items.forEach((item, i) => (item.ctx.traceparent = traceparents[i]));
          return this.untilDependenciesAnswer(
            fresh.map((w) => w.entry),
            this.deps.logger,
            () => batch(items),
          );
        },
      );
    } catch (error) {
      if (isInfraFailure(error)) {
        this.deps.metrics.batches.inc({ group: this.o.group, outcome: 'left_pending' });
        return spent;
      }
      this.deps.metrics.batches.inc({ group: this.o.group, outcome: 'split' });
      this.deps.logger.warn(
        { err: error, entries: fresh.length },
        'batch failed; applying its entries one by one',
      );
      return work;
    }
    const perEntry = (performance.now() - started) / 1000 / fresh.length;
    for (const { entry, event } of fresh) {
      const labels = { stream: entry.stream, group: this.o.group, type: event.event_type };
      this.deps.metrics.consumed.inc(labels);
      this.deps.metrics.acked.inc(labels);
      this.deps.metrics.handlerDuration.observe(labels, perEntry);
      this.reports.add(entry, 'handled', event);
      toAck.push(entry);
    }
    this.deps.metrics.batches.inc({ group: this.o.group, outcome: 'applied' });
    this.deps.metrics.batchSize.observe({ group: this.o.group }, fresh.length);
    return spent;
  }

  /** `handle`, but an unexpected throw leaves the entry pending instead of rejecting the batch. */
  private async settle(entry: Entry, event: Envelope): Promise<Outcome> {
    try {
      return await this.handle(entry, event);
    } catch (error) {
      this.deps.logger.error(
        { err: error, group: this.o.group, stream: entry.stream, entry_id: entry.id },
        'entry not settled; left pending',
      );
      return 'pending';
    }
  }

  private async handle(entry: Entry, event: Envelope): Promise<Outcome> {
    if (entry.attempt > this.o.maxRetries) {
      return this.deadLetter(
        entry,
        event.event_type,
        `no attempt completed within ${this.o.maxRetries} deliveries`,
      );
    }
    const labels = { stream: entry.stream, group: this.o.group, type: event.event_type };
    const handler = this.o.handlers[event.event_type] as Handler<EventType>;
    this.deps.metrics.consumed.inc(labels);
    const started = performance.now();
    const stopTimer = () =>
      this.deps.metrics.handlerDuration.observe(labels, (performance.now() - started) / 1000);
    const ctx = new EntryContext(entry, this.o.group, this.deps.logger, event);
    try {
      await inConsumerSpan(ctx.traced, (traceparent) => {
        ctx.traceparent = traceparent;
        return this.untilDependenciesAnswer([entry], ctx.logger, () => handler(event, ctx));
      });
      stopTimer();
      this.deps.metrics.acked.inc(labels);
      return 'ack';
    } catch (error) {
      stopTimer();
      this.deps.metrics.failed.inc(labels);
      if (isInfraFailure(error)) return 'pending'; // stopping mid-outage: the next owner retries it
      const retryable = !(error instanceof AppError) || error.retryable;
      const forGood = !retryable || entry.attempt >= this.o.maxRetries;
      // In the ended consumer span's context, so that the line leads to the trace.
      inTraceOf(ctx.traceparent, () =>
        forGood
          ? ctx.logger.error(
              { err: error, attempt: entry.attempt },
              'handler failed for good; dead-lettering',
            )
          : ctx.logger.warn({ err: error, attempt: entry.attempt }, 'handler failed; left pending for retry'),
      );
      return forGood ? this.deadLetter(entry, event.event_type, errorMessage(error)) : 'pending';
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
  private async untilDependenciesAnswer(
    entries: readonly Entry[],
    logger: Logger,
    attempt: () => Promise<void>,
  ): Promise<void> {
    for (let failures = 1; ; failures++) {
      try {
        return await attempt();
      } catch (error) {
        if (!isInfraFailure(error) || !this.running) throw error;
        this.deps.metrics.infraErrors.inc({ stream: entries[0]?.stream ?? '*', group: this.o.group });
        if (failures === 1)
          logger.warn(
            { err: error, entries: entries.length, attempt: entries[0]?.attempt },
            'dependency unavailable; retrying in place, no attempt counted',
          );
        await sleep(Math.min(backoffMs(failures), this.o.claimIdleMs / 3), this.stopping.signal);
        if (!this.running) throw error;
        // No longer all pending (acked elsewhere, or trimmed): not ours to finish.
        if (!(await this.stillOwned(entries))) throw error;
      }
    }
  }

  /** Resets the entries' idle time (XCLAIM … JUSTID, which does not raise the delivery counter); false if one is gone. */
  private async stillOwned(entries: readonly Entry[]): Promise<boolean> {
    const byStream = groupByStream(entries);
    const pipeline = this.deps.redis.pipeline();
    for (const [stream, ids] of byStream)
      pipeline.xclaim(stream, this.o.group, this.o.consumer, 0, ...ids, 'JUSTID');
    const replies = await pipeline.exec().catch(() => null);
    // Redis down too: keep trying; the claim is refreshed once it answers.
    if (!replies || replies.some(([error]) => error)) return true;
    return replies.reduce((owned, [, ids]) => owned + (ids as string[]).length, 0) === entries.length;
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
        entry.stream,
        STREAMS.deadLetters,
        this.o.group,
        entry.id,
        this.deps.deadLettersMaxLen,
        fieldsToList(fields),
      );
    } catch (error) {
      // Still pending: a later claim tries again.
      this.deps.logger.error(
        { err: error, group: this.o.group, stream: entry.stream, entry_id: entry.id },
        'dead-letter write failed; left pending',
      );
      return 'pending';
    }
    if (id)
      this.deps.metrics.deadLettered.inc({
        stream: entry.stream,
        group: this.o.group,
        type: type || 'unknown',
      });
    return 'dead-lettered';
  }

  /** Acks on the command connection: what is still unacked when the consumer stops. */
  private async ack(entries: Entry[]): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = this.deps.redis.pipeline();
    const count = this.queueAcks(pipeline, entries);
    this.ackFailures(((await pipeline.exec()) ?? []).slice(0, count), entries);
  }

  /** One XACK per stream; returns how many commands were queued. */
  private queueAcks(pipeline: ChainableCommander, entries: readonly Entry[]): number {
    const byStream = groupByStream(entries);
    for (const [stream, ids] of byStream) pipeline.xack(stream, this.o.group, ...ids);
    return byStream.size;
  }

  /**
   * A failed XACK: if Redis did not answer, the entries are acked with the next read; otherwise they are
   * simply handled again after a claim (handlers are idempotent). Either way, say so.
   */
  private ackFailures(replies: [Error | null, unknown][], entries: readonly Entry[]): void {
    const failed = replies.map(([error]) => error).filter((error): error is Error => error !== null);
    if (failed.length === 0) return;
    if (failed.some((error) => isInfraFailure(error)) && this.running) this.unacked.push(...entries);
    this.deps.logger.warn(
      { err: failed[0], group: this.o.group },
      'XACK failed; entries will be acked later or redelivered',
    );
  }
}

function groupByStream(entries: readonly Entry[]): Map<string, string[]> {
  const byStream = new Map<string, string[]>();
  for (const e of entries) {
    const ids = byStream.get(e.stream);
    if (ids) ids.push(e.id);
    else byStream.set(e.stream, [e.id]);
  }
  return byStream;
}
