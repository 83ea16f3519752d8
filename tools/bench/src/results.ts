import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpBaseline } from './baselines/http';
import type { RedisBaseline } from './baselines/redis';
import type { HopReport } from './hops';
import type { Invariant } from './invariants';
import type { MachineInfo } from './machine';
import type { PhaseResult } from './phase';
import type { ProcessUsage } from './sampler';
import type { StepsReport } from './steps';

/** Everything one `npm run bench` measured: printed as the report and written as JSON. */
export interface BenchResult {
  startedAt: string;
  machine: MachineInfo;
  target: { url: string; ownStack: boolean; infrastructure: string[] };
  /** Unmeasured warm-up; its orders still count in the invariants. */
  warmup?: PhaseResult;
  phases: PhaseResult[];
  /** Over the main phase's window. */
  hops?: HopReport;
  /** Over the saturation phase's window (the most the bus carried). */
  busAtSaturation?: HopReport;
  processes: ProcessUsage[];
  /** The same processes sampled for 3 s with no load, after the warm-up. */
  idleProcesses?: ProcessUsage[];
  baselines: { redis?: RedisBaseline; http?: HttpBaseline };
  steps?: StepsReport;
  invariants: Invariant[];
}

/** bench-results/<timestamp>.json (and the chart beside it); returns the paths written. */
export function writeResults(dir: string, result: BenchResult, svg?: string): { json: string; svg?: string } {
  mkdirSync(dir, { recursive: true });
  const stamp = result.startedAt.replace(/[:.]/g, '-');
  const json = join(dir, `${stamp}.json`);
  writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
  if (!svg) return { json };
  const svgPath = join(dir, `${stamp}.svg`);
  writeFileSync(svgPath, svg);
  return { json, svg: svgPath };
}
