import type { MenuItem } from '@pizza/shared/contract';
import type { HttpClient } from './http-client';
import type { AcceptedOrder, UnansweredOrder } from './orders';
import { runPhase, type PhaseResult } from './phase';
import type { ProcessTarget } from './sampler';
import type { Summary } from './stats';

/**
 * Step mode: the offered rate doubles step after step until a step breaks the latency objective; the knee
 * is the highest rate that still met it. Each step waits for its orders to be delivered before the next.
 */
export const KNEE_CRITERION =
  'a step breaks when POST p99 or POST→first-push p99 exceeds the threshold, fewer than 90 % of offered orders are accepted, or any POST fails (5xx or no answer)';

export interface StepPoint {
  offered: number;
  acceptedPerSecond: number;
  post: Summary;
  postToFirstPush: Summary;
  postToDelivered: Summary;
  broke?: string;
}

export interface StepsReport {
  criterion: string;
  thresholdMs: number;
  /** Shortest step; a step also lasts long enough for 100 orders. */
  stepMs: number;
  points: StepPoint[];
  /** Highest offered rate that met the objective; undefined if the first step already broke. */
  knee?: number;
  brokeAt?: number;
}

export function stepRates(start: number, max: number): number[] {
  const rates: number[] = [];
  for (let r = start; r <= max; r *= 2) rates.push(r);
  return rates;
}

export function whyBroken(phase: PhaseResult, offered: number, thresholdMs: number): string | undefined {
  const failed = phase.counts.serverErrors + phase.counts.connectionErrors;
  if (failed > 0) return `${failed} POSTs failed`;
  if (phase.post.p99 > thresholdMs) return `POST p99 ${phase.post.p99.toFixed(0)} ms`;
  if (phase.postToFirstPush.p99 > thresholdMs)
    return `first-push p99 ${phase.postToFirstPush.p99.toFixed(0)} ms`;
  if (phase.acceptedPerSecond < 0.9 * offered)
    return `accepted ${phase.acceptedPerSecond.toFixed(0)}/s of ${offered}/s`;
  return undefined;
}

export async function runSteps(
  client: HttpClient,
  wsOrigin: string,
  menu: readonly MenuItem[],
  options: {
    rates: number[];
    stepMs: number;
    settleMs: number;
    thresholdMs: number;
    /** Bisection steps between the knee and the first broken rate (default 2). */
    refine?: number;
    processes?: () => ProcessTarget[];
    log: (msg: string) => void;
  },
): Promise<{
  report: StepsReport;
  phases: PhaseResult[];
  orders: AcceptedOrder[];
  unanswered: UnansweredOrder[];
}> {
  const report: StepsReport = {
    criterion: KNEE_CRITERION,
    thresholdMs: options.thresholdMs,
    stepMs: options.stepMs,
    points: [],
  };
  const phases: PhaseResult[] = [];
  const orders: AcceptedOrder[] = [];
  const unanswered: UnansweredOrder[] = [];
  const step = async (rate: number): Promise<boolean> => {
    const run = await runPhase(client, wsOrigin, menu, {
      name: `step ${rate}/s`,
      shape: { kind: 'rate', rate },
      // At least 100 orders per step, so that p99 is not simply the slowest of a handful.
      durationMs: Math.max(options.stepMs, (100 / rate) * 1000),
      settleMs: options.settleMs,
      processes: options.processes,
    });
    const { result } = run;
    phases.push(result);
    orders.push(...run.orders);
    unanswered.push(...run.unanswered);
    const broke = whyBroken(result, rate, options.thresholdMs);
    report.points.push({
      offered: rate,
      acceptedPerSecond: result.acceptedPerSecond,
      post: result.post,
      postToFirstPush: result.postToFirstPush,
      postToDelivered: result.postToDelivered,
      broke,
    });
    options.log(
      `step ${rate}/s: accepted ${result.acceptedPerSecond.toFixed(1)}/s, POST p99 ${result.post.p99.toFixed(1)} ms, first push p99 ${result.postToFirstPush.p99.toFixed(1)} ms${broke ? ` — broke: ${broke}` : ''}`,
    );
    return !broke;
  };

  for (const rate of options.rates) {
    if (!(await step(rate))) {
      report.brokeAt = rate;
      break;
    }
    report.knee = rate;
  }
  // Doubling is coarse: narrow the gap between the last good rate and the first bad one by bisection.
  for (
    let i = 0;
    i < (options.refine ?? 2) && report.knee !== undefined && report.brokeAt !== undefined;
    i++
  ) {
    const mid = Math.round((report.knee + report.brokeAt) / 2);
    if (mid <= report.knee || mid >= report.brokeAt) break;
    if (await step(mid)) report.knee = mid;
    else report.brokeAt = mid;
  }
  report.points.sort((a, b) => a.offered - b.offered);
  return { report, phases, orders, unanswered };
}
