import type { MenuItem } from '@pizza/shared/contract';
import { orderCost, type OrderCost } from './cost';
import type { HopReport } from './hops';
import type { HttpClient } from './http-client';
import { describeShape, drive, type LoadShape } from './load';
import { OrderPlacer, type AcceptedOrder, type OrderCounts, type UnansweredOrder } from './orders';
import { readCounters, type Probes } from './probes';
import { startProgress } from './progress';
import { summarize, type Summary } from './stats';
import { journeyProblem, TrackerPool } from './trackers';

/**
 * One load phase: drive POSTs, open a tracker per 201, wait until every tracker saw delivered, summarize.
 * With probes, the stack's counters are read before the first POST and after the last delivery, and
 * divided by the orders delivered (cost per order).
 */
export interface PhaseOptions {
  name: string;
  shape: LoadShape;
  durationMs: number;
  /** After the last POST: how long trackers may take to reach delivered. */
  settleMs: number;
  quiet?: boolean;
  probes?: Probes;
}

export interface PhaseResult {
  name: string;
  load: string;
  offeredPerSecond?: number;
  durationMs: number;
  elapsedMs: number;
  /** Wall-clock window of the phase (epoch ms), to read its stream entries back. */
  window: { fromMs: number; toMs: number };
  counts: OrderCounts;
  skippedArrivals: number;
  acceptedPerSecond: number;
  /** Orders whose tracker saw delivered ÷ (first POST → last delivery). */
  deliveredPerSecond: number;
  /** Last delivery − end of sending: how far deliveries lagged behind (the backlog, in time). */
  drainMs: number;
  post: Summary;
  /** Latency of 503 answers (shed load). */
  shed: Summary;
  postToFirstPush: Summary;
  postToDelivered: Summary;
  peakOpenWebSockets: number;
  cost?: OrderCost;
  /** Event-bus hops over the phase's window (filled in by the caller, which holds Redis). */
  hops?: HopReport;
  trackers: { total: number; delivered: number; failed: number; badJourneys: number; examples: string[] };
}

export async function runPhase(
  client: HttpClient,
  wsOrigin: string,
  menu: readonly MenuItem[],
  options: PhaseOptions,
): Promise<{ result: PhaseResult; orders: AcceptedOrder[]; unanswered: UnansweredOrder[] }> {
  const placer = new OrderPlacer(client, menu);
  const { counts } = placer;
  const orders: AcceptedOrder[] = [];
  const pool = new TrackerPool(wsOrigin);
  const progress = options.quiet
    ? { stop: () => undefined }
    : startProgress(
        options.name,
        options.durationMs,
        () =>
          `sent ${counts.sent} · 201 ${counts.accepted} · 503 ${counts.shed} · errors ${counts.serverErrors + counts.connectionErrors + counts.otherClientErrors + counts.outOfStock} · ws open ${pool.open} · delivered ${pool.delivered}`,
      );
  const start = options.probes ? await readCounters(options.probes) : undefined;
  const fromMs = Date.now();
  const sendStart = performance.now();
  let load;
  let end;
  try {
    load = await drive({ shape: options.shape, durationMs: options.durationMs }, async () => {
      const order = await placer.place();
      if (!order) return;
      orders.push(order);
      pool.track(order, order.postStartedAt, order.postAnsweredAt);
    });
    await pool.settle(options.settleMs);
    end = options.probes ? await readCounters(options.probes) : undefined;
  } finally {
    progress.stop();
    pool.closeAll();
  }
  const toMs = Date.now();
  const deliveries = pool.all.flatMap((t) => (t.deliveredAt === undefined ? [] : [t.deliveredAt]));
  const delivered = new Set(pool.all.filter((t) => t.deliveredAt !== undefined).map((t) => t.orderId));
  for (const order of orders) order.trackedToDelivered = delivered.has(order.id);
  const lastDelivery = deliveries.length ? Math.max(...deliveries) : sendStart;

  const problems = pool.all
    .map((t) => ({ t, problem: t.failure ?? journeyProblem(t.seen) }))
    .filter((x) => x.problem);
  const result: PhaseResult = {
    name: options.name,
    load: describeShape(options.shape),
    offeredPerSecond: options.shape.kind === 'rate' ? options.shape.rate : undefined,
    durationMs: options.durationMs,
    elapsedMs: load.elapsedMs,
    window: { fromMs, toMs },
    counts,
    skippedArrivals: load.skipped,
    acceptedPerSecond: counts.accepted / (load.elapsedMs / 1000),
    deliveredPerSecond: deliveries.length / (Math.max(1, lastDelivery - sendStart) / 1000),
    drainMs: Math.max(0, lastDelivery - (sendStart + options.durationMs)),
    post: summarize(placer.postLatencies),
    shed: summarize(placer.shedLatencies),
    postToFirstPush: summarize(
      pool.all.flatMap((t) => (t.firstPushAt === undefined ? [] : [t.firstPushAt - t.postStartedAt])),
    ),
    postToDelivered: summarize(
      pool.all.flatMap((t) => (t.deliveredAt === undefined ? [] : [t.deliveredAt - t.postStartedAt])),
    ),
    peakOpenWebSockets: pool.peakOpen,
    cost: start && end ? orderCost(start, end, deliveries.length) : undefined,
    trackers: {
      total: pool.all.length,
      delivered: pool.delivered,
      failed: pool.all.filter((t) => t.failure).length,
      badJourneys: problems.length,
      examples: problems
        .slice(0, 5)
        .map(({ t, problem }) => `${t.orderId}: ${problem} (saw ${t.seen.join(' → ') || 'nothing'})`),
    },
  };
  return { result, orders, unanswered: placer.unanswered };
}
