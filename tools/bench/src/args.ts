import { errorMessage, parseCommandLine, UsageError } from '@pizza/shared';
import { parseDuration } from './stats';

/** Command-line options of `npm run bench`. */
export interface BenchArgs {
  url?: string;
  redisUrl?: string;
  mongoUrl?: string;
  mongoDb: string;
  pids: number[];
  /** Open-loop phases, one per rate, each `durationMs` long. */
  rates: number[];
  durationMs: number;
  warmupMs: number;
  search: boolean;
  startRate: number;
  maxRate: number;
  stepOrders: number;
  stepMs: number;
  refine: number;
  backlogMs: number;
  thresholdMs: number;
  sustainMs: number;
  overloadMs: number;
  overloadFactor: number;
  settleMs: number;
  baselines: boolean;
  baselineEvents: number;
  wrkMs: number;
  baselineRef?: string;
  outDir: string;
  help: boolean;
}

export const USAGE = `usage: npm run bench -- [options]

What it runs (each part can be shortened or skipped for development):
  --rates R,R,…          open-loop phases at these orders/s, one after the other (default 10,20): latencies,
                         bus hop, CPU ms and Redis/MongoDB commands per delivered order
  --duration D           length of each of those phases (default 60s; 1500ms, 30s, 2m)
  --warmup D             unmeasured warm-up at 5 orders/s first (default 5s; 0 skips)
  --no-search            skip the saturation search, the sustained run and the overload run
  --start-rate N         first step of the saturation search (default 20); each step doubles, then --refine
                         bisections (default 2) between the last sustained and the first failed rate
  --max-rate N           highest step (default 3200)
  --step-orders N        orders per step, so that p99 reads from at least this many (default 1000)
  --step-duration D      shortest step (default 5s)
  --backlog D            a step is sustained when every order is delivered, no POST fails, and the last
                         delivery comes at most this long after the last POST (default 2s)
  --threshold MS         knee: POST and first-push p99 objective of a sustained step (default 100)
  --sustain D            then the saturation rate held this long: delivered orders/s (default 60s; 0 skips)
  --overload D           then --overload-factor × saturation this long: 503s and accepted p99 (default 30s; 0 skips)
  --overload-factor N    (default 2)
  --settle D             longest wait for orders to reach delivered after a phase (default 120s)

Baselines on the same machine:
  --no-baselines         skip raw Redis and the bare node:http server under wrk
  --baseline-events N    events for the raw Redis baseline (default 20000)
  --wrk-duration D       wrk run against the bare server (default 10s)

Before and after:
  --baseline-ref REF     also run the same scenario against this git commit (its own stack launcher and
                         services, in a cached git worktree), then print and write a before/after table

Target (default: its own stack, private Redis and MongoDB, simulator delays 0):
  --url URL              a running stack instead (no before/after)
  --redis-url URL        with --url: its Redis, for hops and commands per order (default REDIS_URL)
  --mongo-url URL        with --url: its MongoDB, for commands per order (default MONGO_URL)
  --mongo-db NAME        (default MONGO_DB, else pizza)
  --pids P,P,…           with --url: processes whose CPU is counted

  --out DIR              results folder (default bench-results)
  --help                 this text
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

const LOOPBACK = '(localhost|127\\.0\\.0\\.1|\\[::1\\])(:\\d+)?(\\/|$|\\?)';

const OPTIONS = {
  rates: { type: 'string', default: '10,20' },
  duration: { type: 'string', default: '60s' },
  warmup: { type: 'string', default: '5s' },
  'no-search': { type: 'boolean', default: false },
  'start-rate': { type: 'string', default: '20' },
  'max-rate': { type: 'string', default: '3200' },
  'step-orders': { type: 'string', default: '1000' },
  'step-duration': { type: 'string', default: '5s' },
  refine: { type: 'string', default: '2' },
  backlog: { type: 'string', default: '2s' },
  threshold: { type: 'string', default: '100' },
  sustain: { type: 'string', default: '60s' },
  overload: { type: 'string', default: '30s' },
  'overload-factor': { type: 'string', default: '2' },
  settle: { type: 'string', default: '120s' },
  'no-baselines': { type: 'boolean', default: false },
  'baseline-events': { type: 'string', default: '20000' },
  'wrk-duration': { type: 'string', default: '10s' },
  'baseline-ref': { type: 'string' },
  url: { type: 'string' },
  'redis-url': { type: 'string' },
  'mongo-url': { type: 'string' },
  'mongo-db': { type: 'string' },
  pids: { type: 'string' },
  out: { type: 'string', default: 'bench-results' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): BenchArgs {
  const { values } = parseCommandLine({
    args: [...argv],
    options: OPTIONS,
    strict: true,
    allowPositionals: false,
  });
  const refine = Number(values.refine);
  if (!Number.isInteger(refine) || refine < 0) throw new UsageError(`--refine needs a whole number ≥ 0`);
  const a: BenchArgs = {
    url: values.url,
    redisUrl: values['redis-url'],
    mongoUrl: values['mongo-url'],
    mongoDb: values['mongo-db'] ?? env.MONGO_DB ?? 'pizza',
    pids: values.pids?.split(',').map((p) => Math.round(positive('pids', p))) ?? [],
    rates: values.rates === '' ? [] : values.rates.split(',').map((r) => positive('rates', r)),
    durationMs: duration('duration', values.duration),
    warmupMs: duration('warmup', values.warmup),
    search: !values['no-search'],
    startRate: positive('start-rate', values['start-rate']),
    maxRate: positive('max-rate', values['max-rate']),
    stepOrders: Math.round(positive('step-orders', values['step-orders'])),
    stepMs: duration('step-duration', values['step-duration']),
    refine,
    backlogMs: duration('backlog', values.backlog),
    thresholdMs: positive('threshold', values.threshold),
    sustainMs: duration('sustain', values.sustain),
    overloadMs: duration('overload', values.overload),
    overloadFactor: positive('overload-factor', values['overload-factor']),
    settleMs: duration('settle', values.settle),
    baselines: !values['no-baselines'],
    baselineEvents: Math.round(positive('baseline-events', values['baseline-events'])),
    wrkMs: duration('wrk-duration', values['wrk-duration']),
    baselineRef: values['baseline-ref'],
    outDir: values.out,
    help: values.help,
  };
  if (a.url && !new RegExp(`^https?://${LOOPBACK}`).test(a.url)) {
    throw new UsageError('--url must be a loopback address (localhost, 127.0.0.1 or [::1])');
  }
  if (a.url && a.baselineRef) throw new UsageError('--baseline-ref starts both stacks itself: drop --url');
  if (!a.url && (a.redisUrl || a.mongoUrl || a.pids.length))
    throw new UsageError('--redis-url, --mongo-url and --pids only go with --url');
  if (a.url) {
    a.redisUrl ??= env.REDIS_URL;
    a.mongoUrl ??= env.MONGO_URL;
  }
  if (a.redisUrl && !new RegExp(`^rediss?://([^@/]*@)?${LOOPBACK}`).test(a.redisUrl)) {
    throw new UsageError('--redis-url must be a loopback address');
  }
  if (a.mongoUrl && !new RegExp(`^mongodb://([^@/]*@)?${LOOPBACK}`).test(a.mongoUrl)) {
    throw new UsageError('--mongo-url must be a loopback mongodb:// address');
  }
  return a;
}
