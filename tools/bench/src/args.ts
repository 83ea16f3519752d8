import { errorMessage, parseCommandLine, UsageError } from '@pizza/shared';
import type { LoadShape } from './load';
import { parseDuration } from './stats';

/** Command-line options of `npm run bench`. */
export interface BenchArgs {
  url?: string;
  redisUrl?: string;
  pids: number[];
  shape: LoadShape;
  durationMs: number;
  saturateMs: number;
  warmupMs: number;
  saturateConcurrency: number;
  steps: boolean;
  stepMs: number;
  startRate: number;
  maxRate: number;
  thresholdMs: number;
  settleMs: number;
  baselines: boolean;
  baselineEvents: number;
  outDir: string;
  help: boolean;
}

export const USAGE = `npm run bench -- [options]

  --rate N               orders/s offered, open loop (default 10)
  --concurrency N        closed loop instead: N customers, each ordering again on the answer
  --duration D           load phase length (default 20s; 1500ms, 30s, 2m)
  --warmup D             unmeasured warm-up at 5 orders/s first (default 3s; 0 skips)
  --saturate D           then a closed-loop phase at --saturate-concurrency, for the POST limit (default 5s; 0 skips)
  --saturate-concurrency N  (default 16; the bare-server baseline uses the same)
  --steps                step mode: rate --start-rate, doubling up to --max-rate, --step-duration each,
                         until p99 breaks --threshold; writes an SVG chart
  --step-duration D      at least this, and at least 100 orders (default 5s)   --start-rate N (default 5)   --max-rate N (default 1600)
  --threshold MS         latency objective for the knee (default 100)
  --settle D             longest wait for trackers to reach delivered after a phase (default 60s)
  --url URL              target a running stack instead of starting one
  --redis-url URL        with --url: its Redis, to read hop latencies and run the Redis baseline (default REDIS_URL)
  --pids P,P,…           with --url: processes to sample
  --baseline-events N    events for the raw Redis baseline (default 20000)
  --no-baselines         skip the raw Redis and bare HTTP baselines
  --out DIR              results folder (default bench-results)
`;

function positive(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} needs a positive number, got ${value}`);
  return n;
}

function duration(name: string, value: string): number {
  try {
    return parseDuration(value);
  } catch (error) {
    throw new UsageError(`--${name}: ${errorMessage(error)}`);
  }
}

const OPTIONS = {
  rate: { type: 'string' },
  concurrency: { type: 'string' },
  duration: { type: 'string', default: '20s' },
  warmup: { type: 'string', default: '3s' },
  saturate: { type: 'string', default: '5s' },
  'saturate-concurrency': { type: 'string', default: '16' },
  steps: { type: 'boolean', default: false },
  'step-duration': { type: 'string', default: '5s' },
  'start-rate': { type: 'string', default: '5' },
  'max-rate': { type: 'string', default: '1600' },
  threshold: { type: 'string', default: '100' },
  settle: { type: 'string', default: '60s' },
  url: { type: 'string' },
  'redis-url': { type: 'string' },
  pids: { type: 'string' },
  'baseline-events': { type: 'string', default: '20000' },
  'no-baselines': { type: 'boolean', default: false },
  out: { type: 'string', default: 'bench-results' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function loadShape(rate: string | undefined, concurrency: string | undefined): LoadShape {
  if (rate !== undefined && concurrency !== undefined)
    throw new UsageError('--rate and --concurrency exclude each other: an open or a closed loop');
  if (concurrency !== undefined)
    return { kind: 'concurrency', concurrency: Math.round(positive('concurrency', concurrency)) };
  return { kind: 'rate', rate: rate === undefined ? 10 : positive('rate', rate) };
}

/** argv after the script name → the options, or a UsageError naming what is wrong (an unknown flag too). */
export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): BenchArgs {
  const { values: v } = parseCommandLine({ args: [...argv], options: OPTIONS });
  const a: BenchArgs = {
    url: v.url,
    redisUrl: v['redis-url'],
    pids: v.pids?.split(',').map((p) => Math.round(positive('pids', p))) ?? [],
    shape: loadShape(v.rate, v.concurrency),
    durationMs: duration('duration', v.duration),
    saturateMs: duration('saturate', v.saturate),
    warmupMs: duration('warmup', v.warmup),
    saturateConcurrency: Math.round(positive('saturate-concurrency', v['saturate-concurrency'])),
    steps: v.steps,
    stepMs: duration('step-duration', v['step-duration']),
    startRate: positive('start-rate', v['start-rate']),
    maxRate: positive('max-rate', v['max-rate']),
    thresholdMs: positive('threshold', v.threshold),
    settleMs: duration('settle', v.settle),
    baselines: !v['no-baselines'],
    baselineEvents: Math.round(positive('baseline-events', v['baseline-events'])),
    outDir: v.out,
    help: v.help,
  };
  if (a.url && !/^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/.test(a.url)) {
    throw new UsageError('--url must be a loopback address (localhost, 127.0.0.1 or [::1])');
  }
  if (a.url && !a.redisUrl && env.REDIS_URL) a.redisUrl = env.REDIS_URL;
  if (
    a.redisUrl &&
    !/^rediss?:\/\/([^@/]*@)?(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/.test(a.redisUrl)
  ) {
    throw new UsageError('--redis-url must be a loopback address');
  }
  return a;
}
