import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpBaseline } from './baselines/http';
import type { RedisBaseline } from './baselines/redis';
import type { OrderCost } from './cost';
import type { CpuSource } from './cpu-time';
import type { Invariant } from './invariants';
import type { MachineInfo } from './machine';
import type { PhaseResult } from './phase';
import type { ProcessUsage } from './sampler';
import type { SearchReport } from './search';

/** Everything one scenario measured against one stack (this checkout, or the baseline commit's). */
export interface ScenarioResult {
  /** "after" (this checkout) or "before" (the baseline commit). */
  side: string;
  commit?: string;
  ref?: string;
  startedAt: string;
  machine: MachineInfo;
  target: { url: string; ownStack: boolean; infrastructure: string[] };
  cpuSource: CpuSource;
  baselines: { redis?: RedisBaseline; http?: HttpBaseline };
  /** Unmeasured warm-up; its orders still count in the invariants. */
  warmup?: PhaseResult;
  /** The stack doing nothing, per second (orderCost with seconds as the unit). */
  idle?: OrderCost;
  /** Open-loop phases at the fixed rates. */
  rates: PhaseResult[];
  search?: SearchReport;
  /** The saturation rate held for the sustained run. */
  sustain?: PhaseResult;
  /** Above saturation: 503s, accepted p99, nothing accepted lost. */
  overload?: PhaseResult;
  /** CPU % and peak RSS over the whole scenario. */
  processes: ProcessUsage[];
  invariants: Invariant[];
  notes: string[];
}

/** One `npm run bench`: one side, or before and after with the table that compares them. */
export interface BenchResult {
  startedAt: string;
  sides: ScenarioResult[];
  comparison?: string;
}

/** bench-results/<timestamp>.json, plus the chart(s) and the before/after table beside it. */
export function writeResults(
  dir: string,
  result: BenchResult,
  extras: { suffix: string; content: string }[] = [],
): string[] {
  mkdirSync(dir, { recursive: true });
  const stamp = result.startedAt.replace(/[:.]/g, '-');
  const json = join(dir, `${stamp}.json`);
  writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
  const written = [json];
  for (const extra of extras) {
    const path = join(dir, `${stamp}${extra.suffix}`);
    writeFileSync(path, extra.content);
    written.push(path);
  }
  return written;
}
