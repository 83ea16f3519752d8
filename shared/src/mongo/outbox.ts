import { randomUUID } from 'node:crypto';
import { ObjectId, type ClientSession, type Db } from 'mongodb';
import type { Envelope } from '../contract';
import type { EventBus } from '../bus';
import { streamOf, toStreamFields, type StreamFields } from '../envelope';
import type { Logger } from '../logger';
import { gauge } from '../metrics';
import { withProducerSpans } from '../tracing';
import { isDuplicateKey, onCommit } from './client';
import { OUTBOX_HEARTBEAT_MS, writeOutboxHeartbeat } from './outbox-heartbeat';

/**
 * Transactional outbox. A service writes its events into `outbox` in the same transaction as the state they
 * describe; the relay then publishes committed entries to Redis and deletes them.
 *
 * - At least once: an entry is deleted only after XADD succeeded; a crash in between republishes it, and
 *   consumers drop the duplicate by event_id.
 * - Fast path: the entries a transaction wrote are queued in memory as it commits (`onCommit`), and the
 *   relay woken after the commit publishes them from there (pipelined XADD), and deletes what went out in
 *   one `deleteMany` every DELETE_EVERY_MS at most: no read of what was just written. The poll is the safety net: entries left by a
 *   crash between commit and publish, by a failed publish, or written by another replica.
 * - Order: one relay at a time (replicas compete for a lease document), and it publishes in commit order.
 *   A process queues its commits in the order they commit, and an order's next transaction conflicts with
 *   its previous one on the order's document, so it commits after it: per order, the queue is in order. The
 *   queue goes out before a periodic poll, so a later event committed by another replica (polled) never
 *   overtakes one still queued here. Only the lease holder publishes; a process without the lease, or whose
 *   fast publish failed, drops its queue (the entries are in the collection) and publishes nothing from
 *   memory until a poll, oldest first, has caught up with what it dropped.
 * - Low latency: `wake()` right after a commit runs the relay at once; a poll every `pollMs` is the net.
 */
export const OUTBOX_COLLECTION = 'outbox';
const LEASES = 'outbox_leases';

interface OutboxEntry {
  _id: ObjectId;
  stream: string;
  fields: StreamFields;
  created_at: Date;
}

interface Lease {
  _id: string;
  owner: string;
  until: Date;
}

export interface OutboxOptions {
  db: Db;
  /** With `redis` (an EventBus has it), the relay also writes its heartbeat for the system view. */
  bus: Pick<EventBus, 'publishRaw'> & { redis?: EventBus['redis'] };
  logger: Logger;
  /** Names the lease and the gauge label: one relay per outbox name at a time. */
  name: string;
  /**
   * Where the entries are kept (default `outbox`). Services that share a database need one each, or each
   * relay would publish the other's entries too.
   */
  collection?: string;
  pollMs?: number;
  leaseMs?: number;
  batchSize?: number;
}

/** Published entries are deleted together, at most this long after the first of them went out. */
const DELETE_EVERY_MS = 200;

/**
 * A written entry whose commit hook has not run after this long belongs to a transaction that aborted (or
 * whose commit failed without an answer): the poll stops leaving it to the queue. Well past the transaction deadline.
 */
const COMMITTING_FORGOTTEN_MS = 30_000;

/** Past this many batches in memory the queue is dropped, and the poll takes over. */
const MAX_QUEUED_BATCHES = 10;

/** Outbox name → how old its oldest unpublished entry is, in seconds (read by the gauge on scrape). */
const oldestAge = new Map<string, () => Promise<number>>();

export class Outbox {
  private readonly owner = randomUUID();
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private cycle: Promise<void> | undefined;
  private again = false;
  private leaseUntil = 0;
  /** Committed entries not yet published, in commit order (all still in the collection). */
  private queued: OutboxEntry[] = [];
  /**
   * Entries written by a transaction of this process that may be committing: the server may show them to a
   * poll before the commit hook queues them, and the poll must leave them to the queue (else: a duplicate).
   * Keyed by id, with when they were written, so that those of an aborted transaction are forgotten.
   */
  private committing = new Map<string, number>();
  /** Published entries not yet deleted, and when the first of them was published. */
  private published: ObjectId[] = [];
  private publishedAt = 0;
  /** The queue was dropped, or the process has just started: poll until caught up before the fast path. */
  private mustPoll = true;
  private polledAt = 0;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly batchSize: number;

  constructor(private readonly o: OutboxOptions) {
    this.pollMs = o.pollMs ?? 500;
    this.leaseMs = o.leaseMs ?? 5_000;
    this.batchSize = o.batchSize ?? 200;
    const entries = () => o.db.collection<OutboxEntry>(o.collection ?? OUTBOX_COLLECTION);
    // The newest outbox of a name is the one measured: a stopped one's closed client must not break /metrics.
    oldestAge.set(o.name, async () => {
      const oldest = await entries()
        .find({}, { sort: { _id: 1 }, limit: 1, projection: { created_at: 1 } })
        .next();
      return oldest ? Math.max(0, (Date.now() - oldest.created_at.getTime()) / 1000) : 0;
    });
    gauge({
      name: 'outbox_oldest_unpublished_age_seconds',
      help: 'Age of the oldest committed event not yet published',
      labelNames: ['outbox'],
      async collect() {
        for (const [name, age] of oldestAge) {
          try {
            this.set({ outbox: name }, await age());
          } catch {
            // MongoDB unreachable or closed: keep the last value rather than fail the whole scrape
          }
        }
      },
    });
  }

  private get entries() {
    return this.o.db.collection<OutboxEntry>(this.o.collection ?? OUTBOX_COLLECTION);
  }

  /** Writes the events inside the caller's transaction. Call `wake()` after the commit. */
  async add(session: ClientSession, events: readonly Envelope[]): Promise<void> {
    if (events.length === 0) return;
    const now = new Date();
    // The trace context is the one the use case runs in (a request, a consumed entry), stored with the event.
    const written = withProducerSpans(events, streamOf).map((event) => ({
      _id: new ObjectId(),
      stream: streamOf(event),
      fields: toStreamFields(event),
      created_at: now,
    }));
    const writtenAt = Date.now();
    for (const entry of written) this.committing.set(entry._id.toHexString(), writtenAt);
    await this.entries.insertMany(written, { session });
    onCommit(session, () => this.queue(written));
  }

  private queue(committed: OutboxEntry[]): void {
    for (const entry of committed) this.committing.delete(entry._id.toHexString());
    if (!this.running) return;
    this.queued.push(...committed);
    // Redis away for long: stop holding memory; the poll publishes them, oldest first, once it is back.
    if (this.queued.length > this.batchSize * MAX_QUEUED_BATCHES) this.dropQueue();
  }

  private dropQueue(): void {
    this.queued = [];
    this.mustPoll = true;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.wake();
    const redis = this.o.bus.redis;
    if (redis) {
      this.heartbeat = setInterval(() => {
        void oldestAge.get(this.o.name)?.()
          .then((age) => writeOutboxHeartbeat(redis, this.o.name, age))
          .catch(() => undefined); // MongoDB or Redis down: the key expires and the view says "unknown"
      }, OUTBOX_HEARTBEAT_MS);
      this.heartbeat.unref();
    }
  }

  /** Runs a relay cycle now (or right after the current one). */
  wake(): void {
    if (!this.running) return;
    if (this.cycle) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.cycle = this.relay()
      .catch((error: unknown) => this.o.logger.warn({ err: error, outbox: this.o.name }, 'outbox relay failed; will retry'))
      .finally(() => {
        this.cycle = undefined;
        if (!this.running) return;
        if (this.again) {
          this.again = false;
          this.wake();
        } else {
          const next = this.published.length > 0 ? DELETE_EVERY_MS : this.pollMs;
          this.timer = setTimeout(() => this.wake(), next);
        }
      });
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    clearInterval(this.heartbeat);
    await this.cycle;
    await this.deletePublished().catch(() => undefined); // else published again by the next relay: a duplicate
    await this.o.db
      .collection<Lease>(LEASES)
      .updateOne({ _id: this.o.name, owner: this.owner }, { $set: { until: new Date(0) } })
      .then(() => (this.leaseUntil = 0))
      .catch(() => undefined);
  }

  /**
   * Publishes until the outbox is empty or the lease is lost: first what a dropped queue left (a poll, oldest
   * first), then the queue, then, every `pollMs`, whatever else is in the collection.
   */
  private async relay(): Promise<void> {
    this.stillCommitting(); // forgets aborted transactions' entries on every replica, lease or not
    while (this.running) {
      if (!(await this.holdLease())) {
        await this.deletePublished(); // they went out while the lease was ours
        return this.dropQueue(); // the holder's poll publishes our entries
      }
      if (this.mustPoll) {
        const polled = await this.pollOnce();
        if (polled === 'lease lost') return this.dropQueue();
        if (polled === 'more') continue;
        this.mustPoll = false;
      }
      if (this.queued.length > 0) {
        const batch = this.queued.splice(0, this.batchSize);
        try {
          if (!(await this.publish(batch))) return this.dropQueue();
        } catch (error) {
          this.dropQueue(); // the rest waits for the poll behind the failed batch: nothing skips ahead
          throw error;
        }
        if (this.deletesDue()) await this.deletePublished();
        continue;
      }
      if (Date.now() - this.polledAt < this.pollMs) {
        if (this.deletesDue()) await this.deletePublished();
        return;
      }
      const polled = await this.pollOnce();
      if (polled === 'lease lost') return this.dropQueue();
      if (polled === 'done') return;
    }
  }

  /** One batch of the collection, oldest first, leaving out what is queued (it goes out from memory). */
  private async pollOnce(): Promise<'done' | 'more' | 'lease lost'> {
    this.polledAt = Date.now();
    await this.deletePublished(); // so the poll does not find what went out already
    const skipped = [...this.queued.map((e) => e._id), ...this.stillCommitting()];
    const filter = skipped.length > 0 ? { _id: { $nin: skipped } } : {};
    const batch = await this.entries.find(filter, { sort: { _id: 1 }, limit: this.batchSize }).toArray();
    if (batch.length === 0) return 'done';
    if (!(await this.publish(batch))) return 'lease lost';
    return batch.length === this.batchSize ? 'more' : 'done';
  }

  /** Ids of entries whose transaction may still be committing; those of long-gone transactions are dropped. */
  private stillCommitting(): ObjectId[] {
    const givenUpBefore = Date.now() - COMMITTING_FORGOTTEN_MS;
    const ids: ObjectId[] = [];
    for (const [id, writtenAt] of this.committing) {
      if (writtenAt < givenUpBefore) this.committing.delete(id);
      else ids.push(ObjectId.createFromHexString(id));
    }
    return ids;
  }

  /**
   * XADDs the entries in one pipeline and marks them for deletion; false when the lease ran out meanwhile.
   * Deletions wait up to DELETE_EVERY_MS to go out together: a crash before them publishes those entries
   * again (a duplicate, dropped by event_id), which costs far less than a `deleteMany` per commit.
   */
  private async publish(batch: readonly OutboxEntry[]): Promise<boolean> {
    await this.o.bus.publishRaw(batch.map(({ stream, fields }) => ({ stream, fields })));
    // Past the lease another replica may be relaying the same entries: leave them (a duplicate at worst,
    // dropped by event_id) and let the next cycle take the lease again.
    if (Date.now() >= this.leaseUntil) return false;
    if (this.published.length === 0) this.publishedAt = Date.now();
    for (const entry of batch) this.published.push(entry._id);
    return true;
  }

  private deletesDue(): boolean {
    return this.published.length >= this.batchSize || Date.now() - this.publishedAt >= DELETE_EVERY_MS;
  }

  private async deletePublished(): Promise<void> {
    if (this.published.length === 0) return;
    const ids = this.published;
    this.published = [];
    try {
      await this.entries.deleteMany({ _id: { $in: ids } });
    } catch (error) {
      this.published = [...ids, ...this.published];
      throw error;
    }
  }

  /** Takes or renews the lease; false when another replica holds it. */
  private async holdLease(): Promise<boolean> {
    const now = new Date();
    // Renew only when half the lease has gone: no extra write per commit under load.
    if (now.getTime() < this.leaseUntil - this.leaseMs / 2) return true;
    try {
      const lease = await this.o.db.collection<Lease>(LEASES).findOneAndUpdate(
        { _id: this.o.name, $or: [{ owner: this.owner }, { until: { $lt: now } }] },
        { $set: { owner: this.owner, until: new Date(now.getTime() + this.leaseMs) } },
        { upsert: true, returnDocument: 'after' },
      );
      const held = lease?.owner === this.owner;
      this.leaseUntil = held ? now.getTime() + this.leaseMs : 0;
      return held;
    } catch (error) {
      this.leaseUntil = 0;
      if (isDuplicateKey(error)) return false; // another replica holds it (our upsert met its document)
      throw error;
    }
  }
}
