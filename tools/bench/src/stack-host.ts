/**
 * Runs one checkout's stack in a process of its own, for the bench to drive: `node --import tsx
 * stack-host.ts <repo root>`, started with that checkout as working directory so that its own tsx, stack
 * launcher and services run. Prints one `READY {json}` line once every service is ready, and stops the
 * stack on SIGTERM, SIGINT or when stdin closes (the bench is gone). Only Node built-ins here: this file
 * also runs against older commits' dependencies.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';

export const READY_PREFIX = 'BENCH_STACK_READY ';

const USAGE = 'usage: node --import tsx stack-host.ts [REPO ROOT]';

/**
 * Every simulated customer is 127.0.0.1, one client to the rate limits: raise them out of the way (the
 * values of GENEROUS_LIMITS_ENV in shared/src/testing, written out since only built-ins may be imported here;
 * older checkouts ignore them).
 */
const BENCH_LIMITS_ENV = {
  RATE_LIMIT_ORDERS: '1000000',
  RATE_LIMIT_TOKEN_FAILURES: '1000000',
  WS_MAX_CONNECTIONS: '1000000',
  WS_MAX_CONNECTIONS_PER_CLIENT: '1000000',
};

interface HostedStack {
  url: string;
  redisUrl: string;
  mongoUrl: string;
  mongoDb: string;
  services: { label: string; pid: number }[];
  pids(): number[];
  stop(): Promise<void>;
}

type StartStack = (options: Record<string, unknown>) => Promise<HostedStack>;

async function main(root: string): Promise<void> {
  const launcher = (await import(join(root, 'tools', 'stack', 'src', 'stack.ts'))) as {
    startStack: StartStack;
  };
  const stack = await launcher.startStack({
    port: 0,
    env: { ...BENCH_LIMITS_ENV, SIMULATOR_MIN_DELAY_MS: '0', SIMULATOR_MAX_DELAY_MS: '0' },
    buildFrontend: false,
    log: (msg: string) => process.stderr.write(`stack: ${msg}\n`),
  });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= stack.stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
  const ready = {
    url: stack.url,
    redisUrl: stack.redisUrl,
    mongoUrl: stack.mongoUrl,
    mongoDb: stack.mongoDb,
    hostPid: process.pid,
    services: stack.services.map((s) => ({ label: s.label, pid: s.pid })),
    pids: stack.pids(),
  };
  process.stdout.write(`${READY_PREFIX}${JSON.stringify(ready)}\n`);
}

/** The repository root to run: the one argument, else the working directory. Strict: anything else throws. */
function rootArgument(argv: string[]): string {
  const { positionals } = parseArgs({ args: argv, options: {}, strict: true, allowPositionals: true });
  if (positionals.length > 1) throw new Error(`Unexpected argument '${positionals[1]}'`);
  return positionals[0] ?? process.cwd();
}

if (require.main === module) {
  let root: string;
  try {
    root = rootArgument(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`stack-host: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exit(2);
  }
  main(root).catch((error: unknown) => {
    process.stderr.write(`stack-host: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
