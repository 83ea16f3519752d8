import type { MenuItem } from '@pizza/shared/contract';
import type { HttpClient } from './http-client';
import { describeShape, drive, type LoadShape } from './load';
import { OrderPlacer, type AcceptedOrder, type OrderCounts, type UnansweredOrder } from './orders';
import { startProgress } from './progress';
import { ProcessSampler, type ProcessTarget, type ProcessUsage } from './sampler';
import { summarize, type Summary } from './stats';
import { journeyProblem, TrackerPool } from './trackers';

/** One load phase: drive POSTs, open a tracker per 201, wait for the trackers to finish, summarize. */
export interface PhaseOptions {
  name: string;
  shape: LoadShape;
  durationMs: number;
  /** After the last POST: how long trackers may take to reach delivered. */
  settleMs: number;
  quiet?: boolean;
  /** Processes whose CPU and memory are sampled while this phase sends. */
  processes?: () => ProcessTarget[];
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
  post: Summary;
  postToFirstPush: Summary;
  postToDelivered: Summary;
  peakOpenWebSockets: number;
  /** CPU and RSS of each process while the phase was sending. */
  processes?: ProcessUsage[];
  trackers: { total: number; delivered: number; failed: number; badJourneys: number; examples: string[] };
}

export async function runPhase(
  client: HttpClient,
  wsOrigin: string,
  menu: readonly MenuItem[],
  options: PhaseOptions,
): Promise<{ result: PhaseResult; orders: AcceptedOrder[]; unanswered: UnansweredOrder[] }> {
  const placer = new OrderPlacer(client, menu);
  const { counts, postLatencies } = placer;
  const orders: AcceptedOrder[] = [];
  const pool = new TrackerPool(wsOrigin);
  const fromMs = Date.now();
  const progress = options.quiet
    ? { stop: () => undefined }
    : startProgress(
        options.name,
        options.durationMs,
        () =>
          `sent ${counts.sent} · 201 ${counts.accepted} · 409 ${counts.outOfStock} · errors ${counts.serverErrors + counts.connectionErrors + counts.otherClientErrors} · ws open ${pool.open} · delivered ${pool.delivered}`,
      );
  const sampler = options.processes ? new ProcessSampler(options.processes) : undefined;
  sampler?.start();
  let load;
  let processes: ProcessUsage[] | undefined;
  try {
    load = await drive({ shape: options.shape, durationMs: options.durationMs }, async () => {
      const order = await placer.place();
      if (!order) return;
      orders.push(order);
      pool.track(order, order.postStartedAt, order.postAnsweredAt);
    });
    processes = sampler?.stop();
    await pool.settle(options.settleMs);
  } finally {
    if (!processes) sampler?.stop();
    progress.stop();
    pool.closeAll();
  }
  const toMs = Date.now();
  const delivered = new Set(pool.all.filter((t) => t.deliveredAt !== undefined).map((t) => t.orderId));
  for (const order of orders) order.trackedToDelivered = delivered.has(order.id);

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
    post: summarize(postLatencies),
    postToFirstPush: summarize(
      pool.all.flatMap((t) => (t.firstPushAt === undefined ? [] : [t.firstPushAt - t.postStartedAt])),
    ),
    postToDelivered: summarize(
      pool.all.flatMap((t) => (t.deliveredAt === undefined ? [] : [t.deliveredAt - t.postStartedAt])),
    ),
    peakOpenWebSockets: pool.peakOpen,
    processes,
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
