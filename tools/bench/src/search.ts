import type { MenuItem } from '@pizza/shared/contract';
import type { BenchArgs } from './args';
import type { HttpClient } from './http-client';
import type { AcceptedOrder, UnansweredOrder } from './orders';
import { runPhase, type PhaseResult } from './phase';
import type { Probes } from './probes';
import type { Summary } from './stats';

/**
 * Saturation search: open-loop steps, the rate doubling from `startRate`, until a step is not sustained;
 * then bisection between the last sustained and the first failed rate. Each step lasts long enough for
 * `stepOrders` orders, so that its p99 is read from that many, and waits until they are delivered.
 */
export const SUSTAINED_CRITERION =
  'a step is sustained when every POST is accepted (no 503, 5xx or missing answer), every order reaches delivered, and the last delivery comes at most the backlog bound after the last POST';
export const OBJECTIVE_CRITERION =
  'knee: the highest sustained step whose POST p99 and POST→first-push p99 stay within the threshold';

/** The search's part of the command line (`refine`: bisection steps; `stepMs`: shortest step). */
export type SearchOptions = Pick<
  BenchArgs,
  'startRate' | 'maxRate' | 'stepOrders' | 'stepMs' | 'refine' | 'backlogMs' | 'thresholdMs' | 'settleMs'
> & { probes?: Probes; log: (msg: string) => void };

export interface StepPoint {
  offered: number;
  durationMs: number;
  accepted: number;
  deliveredPerSecond: number;
  drainMs: number;
  post: Summary;
  postToFirstPush: Summary;
  postToDelivered: Summary;
  cpuMsPerOrder?: number;
  notSustained?: string;
  overObjective?: string;
}

export interface SearchReport {
  sustained: string;
  objective: string;
  thresholdMs: number;
  backlogMs: number;
  stepOrders: number;
  points: StepPoint[];
  /** Highest sustained offered rate; undefined if the first step already failed. */
  saturation?: number;
  /** Highest sustained rate within the latency objective. */
  knee?: number;
  brokeAt?: number;
}

export function stepDurationMs(rate: number, stepOrders: number, minMs: number): number {
  return Math.max(minMs, Math.ceil((stepOrders / rate) * 1000));
}

export function whyNotSustained(phase: PhaseResult, backlogMs: number): string | undefined {
  const c = phase.counts;
  const refused = c.shed + c.serverErrors + c.connectionErrors + c.otherClientErrors + c.outOfStock;
  if (refused > 0) return `${refused} POSTs not accepted (${c.shed} × 503)`;
  if (phase.skippedArrivals > 0) return `${phase.skippedArrivals} arrivals skipped (client in-flight cap)`;
  const undelivered = phase.trackers.total - phase.trackers.delivered;
  if (undelivered > 0) return `${undelivered} orders not seen delivered`;
  if (phase.drainMs > backlogMs)
    return `last delivery ${(phase.drainMs / 1000).toFixed(1)} s after the last POST`;
  return undefined;
}

export function whyOverObjective(phase: PhaseResult, thresholdMs: number): string | undefined {
  if (phase.post.p99 > thresholdMs) return `POST p99 ${phase.post.p99.toFixed(0)} ms`;
  if (phase.postToFirstPush.p99 > thresholdMs)
    return `first-push p99 ${phase.postToFirstPush.p99.toFixed(0)} ms`;
  return undefined;
}

export async function searchSaturation(
  client: HttpClient,
  wsOrigin: string,
  menu: readonly MenuItem[],
  options: SearchOptions,
): Promise<{
  report: SearchReport;
  orders: AcceptedOrder[];
  unanswered: UnansweredOrder[];
  phases: PhaseResult[];
}> {
  const report: SearchReport = {
    sustained: SUSTAINED_CRITERION,
    objective: OBJECTIVE_CRITERION,
    thresholdMs: options.thresholdMs,
    backlogMs: options.backlogMs,
    stepOrders: options.stepOrders,
    points: [],
  };
  const orders: AcceptedOrder[] = [];
  const unanswered: UnansweredOrder[] = [];
  const phases: PhaseResult[] = [];
  const step = async (rate: number): Promise<boolean> => {
    const durationMs = stepDurationMs(rate, options.stepOrders, options.stepMs);
    const run = await runPhase(client, wsOrigin, menu, {
      name: `step ${rate}/s`,
      shape: { kind: 'rate', rate },
      durationMs,
      settleMs: options.settleMs,
      probes: options.probes,
    });
    const r = run.result;
    phases.push(r);
    orders.push(...run.orders);
    unanswered.push(...run.unanswered);
    const notSustained = whyNotSustained(r, options.backlogMs);
    const overObjective = whyOverObjective(r, options.thresholdMs);
    report.points.push({
      offered: rate,
      durationMs,
      accepted: r.counts.accepted,
      deliveredPerSecond: r.deliveredPerSecond,
      drainMs: r.drainMs,
      post: r.post,
      postToFirstPush: r.postToFirstPush,
      postToDelivered: r.postToDelivered,
      cpuMsPerOrder: r.cost?.totalCpuMsPerOrder,
      notSustained,
      overObjective,
    });
    if (!notSustained && !overObjective) report.knee = Math.max(report.knee ?? 0, rate);
    options.log(
      `step ${rate}/s: delivered ${r.deliveredPerSecond.toFixed(1)}/s, drain ${r.drainMs.toFixed(0)} ms, POST p99 ${r.post.p99.toFixed(1)} ms${notSustained ? ` — not sustained: ${notSustained}` : ''}`,
    );
    return !notSustained;
  };

  for (let rate = options.startRate; rate <= options.maxRate; rate *= 2) {
    if (!(await step(rate))) {
      report.brokeAt = rate;
      break;
    }
    report.saturation = rate;
  }
  for (
    let i = 0;
    i < options.refine && report.saturation !== undefined && report.brokeAt !== undefined;
    i++
  ) {
    const mid = Math.round((report.saturation + report.brokeAt) / 2);
    if (mid <= report.saturation || mid >= report.brokeAt) break;
    if (await step(mid)) report.saturation = mid;
    else report.brokeAt = mid;
  }
  report.points.sort((a, b) => a.offered - b.offered);
  return { report, orders, unanswered, phases };
}
