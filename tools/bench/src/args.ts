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

export class UsageError extends Error {}

function positive(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`--${name} needs a positive number, got ${value ?? 'nothing'}`);
  return n;
}

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): BenchArgs {
  const a: BenchArgs = {
    pids: [],
    shape: { kind: 'rate', rate: 10 },
    durationMs: 20_000,
    saturateMs: 5_000,
    warmupMs: 3_000,
    saturateConcurrency: 16,
    steps: false,
    stepMs: 5_000,
    startRate: 5,
    maxRate: 1600,
    thresholdMs: 100,
    settleMs: 60_000,
    baselines: true,
    baselineEvents: 20_000,
    outDir: 'bench-results',
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    const duration = () => {
      try {
        return parseDuration(value());
      } catch (error) {
        throw new UsageError(`${flag}: ${(error as Error).message}`);
      }
    };
    switch (flag) {
      case '--rate':
        a.shape = { kind: 'rate', rate: positive('rate', value()) };
        break;
      case '--concurrency':
        a.shape = { kind: 'concurrency', concurrency: Math.round(positive('concurrency', value())) };
        break;
      case '--duration':
        a.durationMs = duration();
        break;
      case '--warmup':
        a.warmupMs = duration();
        break;
      case '--saturate':
        a.saturateMs = duration();
        break;
      case '--saturate-concurrency':
        a.saturateConcurrency = Math.round(positive('saturate-concurrency', value()));
        break;
      case '--steps':
        a.steps = true;
        break;
      case '--step-duration':
        a.stepMs = duration();
        break;
      case '--start-rate':
        a.startRate = positive('start-rate', value());
        break;
      case '--max-rate':
        a.maxRate = positive('max-rate', value());
        break;
      case '--threshold':
        a.thresholdMs = positive('threshold', value());
        break;
      case '--settle':
        a.settleMs = duration();
        break;
      case '--url':
        a.url = value();
        break;
      case '--redis-url':
        a.redisUrl = value();
        break;
      case '--pids':
        a.pids = value()
          .split(',')
          .map((p) => Math.round(positive('pids', p)));
        break;
      case '--baseline-events':
        a.baselineEvents = Math.round(positive('baseline-events', value()));
        break;
      case '--no-baselines':
        a.baselines = false;
        break;
      case '--out':
        a.outDir = value();
        break;
      case '--help':
      case '-h':
        a.help = true;
        break;
      default:
        throw new UsageError(`unknown option ${flag}`);
    }
  }
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
