import { randomUUID } from 'node:crypto';
import { ObjectId, type ClientSession, type Db } from 'mongodb';
import type { Envelope } from '../contract';
import type { EventBus } from '../bus';
import { streamOf, toStreamFields, type StreamFields } from '../envelope';
import type { Logger } from '../logger';
import { gauge } from '../metrics';
import { withProducerSpans } from '../tracing';
import { isDuplicateKey } from './client';
import { OUTBOX_HEARTBEAT_MS, writeOutboxHeartbeat } from './outbox-heartbeat';

/**
 * Transactional outbox. A service writes its events into `outbox` in the same transaction as the state they
 * describe; the relay then publishes committed entries to Redis, oldest first, and deletes them.
 *
 * - At least once: an entry is deleted only after XADD succeeded; a crash in between republishes it, and
 *   consumers drop the duplicate by event_id.
 * - One relay at a time: replicas compete for a lease document, so no entry is published concurrently, and
 *   entries go out in the order they were written (so in order per order).
 * - Low latency: `wake()` right after a commit runs the relay at once; a poll is the safety net.
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
    await this.entries.insertMany(
      withProducerSpans(events, streamOf).map((event) => ({
        _id: new ObjectId(),
        stream: streamOf(event),
        fields: toStreamFields(event),
        created_at: now,
      })),
      { session },
    );
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
          this.timer = setTimeout(() => this.wake(), this.pollMs);
        }
      });
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    clearInterval(this.heartbeat);
    await this.cycle;
    await this.o.db
      .collection<Lease>(LEASES)
      .updateOne({ _id: this.o.name, owner: this.owner }, { $set: { until: new Date(0) } })
      .then(() => (this.leaseUntil = 0))
      .catch(() => undefined);
  }

  /** Publishes until the outbox is empty or the lease is lost. */
  private async relay(): Promise<void> {
    while (this.running && (await this.holdLease())) {
      const batch = await this.entries.find({}, { sort: { _id: 1 }, limit: this.batchSize }).toArray();
      if (batch.length === 0) return;
      await this.o.bus.publishRaw(batch.map(({ stream, fields }) => ({ stream, fields })));
      // Past the lease another replica may be relaying the same entries: leave them (a duplicate at worst,
      // dropped by event_id) and let the next cycle take the lease again.
      if (Date.now() >= this.leaseUntil) return;
      await this.entries.deleteMany({ _id: { $in: batch.map((e) => e._id) } });
      if (batch.length < this.batchSize) return;
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
