import type { ClientSession, MongoClient } from 'mongodb';
import { z } from 'zod';
import type { BaseEnv } from './config';
import { nextOnPath, type EventPayload, type EventType, type Lifecycle } from './contract';
import { newEvent } from './envelope';
import { errorMessage } from './errors';
import type { Logger } from './logger';
import { counter, histogram } from './metrics';
import { inTransaction } from './mongo/client';
import type { Outbox } from './mongo/outbox';
import type { stalledAggregates } from './mongo/stalled';

/**
 * The reconciler of a service that owns state: it finds aggregates that made no progress for a while (their
 * next step's event or timer was lost, e.g. with Redis' data) and re-drives them through the outbox. This
 * file holds what both owners share: the settings, the stall rule, the pass, the periodic loop and the metrics.
 */
const ms = (min: number) => z.coerce.number().int().min(min);

export const ReconcileEnv = z.object({
  /** Read here too: a simulated step takes at most this long, so the stall bound is derived from it. */
  SIMULATOR_MAX_DELAY_MS: ms(0).max(3_600_000).default(5_000),
  /** No progress for this long and the aggregate is re-driven; 0 turns the reconciler off. */
  RECONCILE_STALL_MS: ms(0).optional(),
  RECONCILE_INTERVAL_MS: ms(10).optional(),
  RECONCILE_BATCH_SIZE: ms(1).default(100),
});

const MIN_DERIVED_STALL_MS = 10_000;

export interface ReconcileSettings {
  /** 0: off. */
  stallMs: number;
  intervalMs: number;
  batchSize: number;
}

/**
 * A step normally completes within the simulator's longest delay, or within one claim of a failed attempt
 * after it; twice that, and at least 10 s (so a busy system is not re-driven for being busy), is a stall.
 * The loop looks four times per stall bound, at most every 10 s.
 */
export function reconcileSettings(
  config: z.infer<typeof ReconcileEnv> & Pick<z.infer<typeof BaseEnv>, 'STREAM_CLAIM_IDLE_MS'>,
): ReconcileSettings {
  const derived = Math.max(
    MIN_DERIVED_STALL_MS,
    2 * (config.SIMULATOR_MAX_DELAY_MS + config.STREAM_CLAIM_IDLE_MS),
  );
  const stallMs = config.RECONCILE_STALL_MS ?? derived;
  const intervalMs = config.RECONCILE_INTERVAL_MS ?? Math.min(10_000, Math.max(100, Math.round(stallMs / 4)));
  return { stallMs, intervalMs, batchSize: config.RECONCILE_BATCH_SIZE };
}

/** Progress and re-drive times of one aggregate. */
export interface StallMarks {
  updatedAt: Date;
  /** When it was last re-driven; undefined when never. */
  redrivenAt?: Date;
}

/**
 * Stalled: no progress for `stallMs`, and not re-driven within `stallMs` either, so each aggregate is re-driven
 * at most once per stall bound however many replicas look.
 */
export function isStalled(marks: StallMarks, now: Date, stallMs: number): boolean {
  const since = now.getTime() - stallMs;
  return (
    marks.updatedAt.getTime() <= since &&
    (marks.redrivenAt === undefined || marks.redrivenAt.getTime() <= since)
  );
}

export function reconcileMetrics() {
  return {
    redriven: counter({
      name: 'reconcile_redriven_total',
      help: 'Aggregates re-driven after making no progress within RECONCILE_STALL_MS, by the step asked for',
      labelNames: ['service', 'step'],
    }),
    stalledFor: histogram({
      name: 'reconcile_stalled_seconds',
      help: 'How long a re-driven aggregate had made no progress',
      labelNames: ['service'],
      buckets: [1, 5, 15, 30, 60, 120, 300, 900, 3600],
    }),
  };
}

/** One re-drive, as a use case reports it. */
export interface Redriven {
  id: string;
  step: string;
  stalledMs: number;
}

export interface ReconcilerOptions {
  service: string;
  settings: ReconcileSettings;
  logger: Logger;
  /** One pass: re-drives at most `batchSize` stalled aggregates and reports them. */
  pass(): Promise<Redriven[]>;
}

/**
 * Runs `pass` every `intervalMs` (at once again while passes come back full). Any number of replicas may run
 * it: a use case claims each re-drive in the transaction that writes it. Failures (a dependency down) are
 * logged once per streak and the next pass comes at the normal interval.
 */
export class Reconciler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private failures = 0;
  private readonly metrics = reconcileMetrics();

  constructor(private readonly o: ReconcilerOptions) {}

  start(): void {
    if (this.o.settings.stallMs === 0 || !this.stopped) return;
    this.stopped = false;
    this.schedule(this.o.settings.intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => (this.running = undefined));
    }, delayMs);
  }

  private async tick(): Promise<void> {
    const { service, settings, logger } = this.o;
    let full = false;
    try {
      const redriven = await this.o.pass();
      if (this.failures > 0) logger.warn({ failures: this.failures }, 'reconciler running again');
      this.failures = 0;
      for (const r of redriven) {
        this.metrics.redriven.inc({ service, step: r.step });
        this.metrics.stalledFor.observe({ service }, r.stalledMs / 1000);
        logger.warn({ id: r.id, step: r.step, stalled_ms: r.stalledMs }, 'no progress: re-driven');
      }
      full = redriven.length >= settings.batchSize;
    } catch (error) {
      if (this.failures++ === 0)
        logger.error({ err: errorMessage(error) }, 'reconciler pass failed; retrying');
    }
    this.schedule(full ? 0 : settings.intervalMs);
  }
}

/** An event of an aggregate, before it becomes an envelope. */
export type DomainEvent = { [T in EventType]: { type: T; data: EventPayload<T> } }[EventType];

/** What re-drives one aggregate: the step it waits for, the events saying it again, how long it stalled. */
export interface Redrive<S extends string, E> {
  step: S;
  events: E[];
  stalledMs: number;
}

/**
 * What re-drives an aggregate at `now`, or null when it is finished, or not stalled (it moved, or was
 * re-driven, within `stallMs`). `events` is the domain's: what the aggregate said so far, for consumers that
 * lost it, then the request for its next step. Pure; nothing here changes the aggregate.
 */
export function redriveIfStalled<S extends string, E>(
  lifecycle: Lifecycle<S>,
  aggregate: { status: S } & StallMarks,
  now: Date,
  stallMs: number,
  events: () => E[],
): Redrive<S, E> | null {
  const step = nextOnPath(lifecycle, aggregate.status);
  if (step === null || !isStalled(aggregate, now, stallMs)) return null;
  return { step, events: events(), stalledMs: now.getTime() - aggregate.updatedAt.getTime() };
}

/** One stalled aggregate as its owner loads it for a re-drive. */
export interface LoadedForRedrive<A> {
  aggregate: A;
  /** As loaded: the claim holds only if the aggregate is still so. */
  marks: StallMarks;
  /** What the re-drive's events are correlated by (everything an order causes is correlated by the order). */
  correlationId: string;
}

export interface RedrivePass<A> {
  mongo: { client: MongoClient };
  outbox: Pick<Outbox, 'add' | 'wake'>;
  clock(): Date;
  stalled: ReturnType<typeof stalledAggregates>;
  /** The statuses an aggregate can stall in. */
  statuses: readonly string[];
  /** The `source` of the events written. */
  source: string;
  /** Loads the aggregate in `session`; null when it is gone. */
  load(session: ClientSession, id: string): Promise<LoadedForRedrive<A> | null>;
  /** The domain: whether and how to re-drive it; null: not. */
  redrive(
    aggregate: A,
    redrivenAt: Date | undefined,
    now: Date,
    stallMs: number,
  ): Redrive<string, DomainEvent> | null;
}

/**
 * One pass: every unfinished aggregate that made no progress within the stall bound (a batch at most) is
 * re-driven. For each, in one transaction: load it, let the domain say whether and how, claim it (so one
 * replica re-drives it per bound), and write the events to the outbox as new events (new ids: the originals
 * are gone, and an inbox that saw them must not drop the repeat).
 */
export async function redriveStalled<A>(
  settings: Pick<ReconcileSettings, 'stallMs' | 'batchSize'>,
  o: RedrivePass<A>,
): Promise<Redriven[]> {
  const now = o.clock();
  const before = new Date(now.getTime() - settings.stallMs);
  const ids = await o.stalled.find({ statuses: o.statuses, before, limit: settings.batchSize });
  const redriven: Redriven[] = [];
  for (const id of ids) {
    const done = await inTransaction(o.mongo.client, async (session) => {
      const loaded = await o.load(session, id);
      const plan = loaded && o.redrive(loaded.aggregate, loaded.marks.redrivenAt, now, settings.stallMs);
      if (!loaded || !plan || !(await o.stalled.markRedriven(session, { id, ...loaded.marks }, now)))
        return null;
      const origin = { source: o.source, now, correlationId: loaded.correlationId };
      await o.outbox.add(
        session,
        plan.events.map((e) => newEvent(e.type, e.data, origin)),
      );
      return { id, step: plan.step, stalledMs: plan.stalledMs };
    });
    if (done) redriven.push(done);
  }
  if (redriven.length > 0) o.outbox.wake();
  return redriven;
}

/**
 * The `start`/`stop` of a service that owns state: its outbox relay and its reconciler. The relay starts
 * first and stops last, since a re-drive writes to the outbox.
 */
export function relayAndReconciler(o: {
  outbox: Pick<Outbox, 'start' | 'stop'>;
  service: string;
  config: Parameters<typeof reconcileSettings>[0];
  logger: Logger;
  pass(settings: ReconcileSettings): Promise<Redriven[]>;
}): { start(): void; stop(): Promise<void> } {
  const settings = reconcileSettings(o.config);
  const { service, logger } = o;
  const reconciler = new Reconciler({ service, settings, logger, pass: () => o.pass(settings) });
  return {
    start() {
      o.outbox.start();
      reconciler.start();
    },
    async stop() {
      await reconciler.stop();
      await o.outbox.stop();
    },
  };
}
