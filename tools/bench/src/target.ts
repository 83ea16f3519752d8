import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { connectMongo } from '@pizza/shared';
import { collections } from '@pizza/orders/src/store/collections';
import { spawnChild, waitForLine } from '@pizza/stack';
import type { ProcessTarget } from './sampler';
import { READY_PREFIX } from './stack-host';

/**
 * What the bench runs against: a stack it starts from a checkout (this one, or a baseline commit's
 * worktree), in a process group of its own (simulator delays 0, stock raised so a run cannot sell out),
 * or an existing one given by `--url` (then Redis, MongoDB and processes only as far as given).
 */
export interface Target {
  url: string;
  wsOrigin: string;
  ownStack: boolean;
  redisUrl?: string;
  mongoUrl?: string;
  mongoDb: string;
  /** Lines the launcher logged about Redis and MongoDB (which one is in use). */
  infrastructure: string[];
  processes(): ProcessTarget[];
  stop(): Promise<void>;
}

/** Each item's stock is raised to at least this in the bench's own stack. */
export const BENCH_STOCK = 1_000_000;
const START_TIMEOUT_MS = 180_000;
const STOP_GRACE_MS = 20_000;

const Ready = z.object({
  url: z.string().url(),
  redisUrl: z.string(),
  mongoUrl: z.string(),
  mongoDb: z.string(),
  hostPid: z.number().int(),
  services: z.array(z.object({ label: z.string(), pid: z.number().int() })),
  pids: z.array(z.number().int()),
});

export function nameOf(pid: number): string {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    if (cmdline.includes('mongo-lite')) return 'mongo-lite';
    if (cmdline.includes('mongod')) return 'mongod';
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return `pid ${pid}`;
  }
}

async function raiseStock(mongoUrl: string, mongoDb: string): Promise<void> {
  const mongo = await connectMongo(mongoUrl, mongoDb, 'bench');
  try {
    await collections(mongo.db).menu.updateMany({}, { $max: { stock: BENCH_STOCK } });
  } finally {
    await mongo.close();
  }
}

/** Kills what is left of a process group we started (by its leader's id). */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Starts the stack of the checkout at `root` with that checkout's own tsx and launcher (stack-host.ts).
 * Private Redis and MongoDB: REDIS_URL and MONGO_URL are not passed on, so two stacks never share data.
 * `extraEnv` reaches every service (the tracing bench sets OTEL_EXPORTER_OTLP_ENDPOINT with it).
 */
export async function hostedStack(
  root: string,
  log: (msg: string) => void,
  extraEnv: Record<string, string> = {},
): Promise<Target> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  delete env.REDIS_URL;
  delete env.MONGO_URL;
  const handle = spawnChild(process.execPath, ['--import', 'tsx', join(__dirname, 'stack-host.ts'), root], {
    cwd: root,
    env,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const pid = handle.child.pid!;
  const onExit = () => killGroup(pid);
  process.on('exit', onExit);
  const infrastructure: string[] = [];
  handle.child.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      if (/^stack: (redis|mongo)/i.test(line)) infrastructure.push(line.slice('stack: '.length));
      log(line);
    }
  });
  const stop = async () => {
    handle.child.stdin?.end();
    await handle.stop(STOP_GRACE_MS);
    killGroup(pid);
    process.off('exit', onExit);
  };
  try {
    const line = await waitForLine(handle, (l) => l.startsWith(READY_PREFIX), {
      timeoutMs: START_TIMEOUT_MS,
      what: `stack of ${root}`,
    });
    handle.child.stdout?.resume();
    const ready = Ready.parse(JSON.parse(line.slice(READY_PREFIX.length)));
    await raiseStock(ready.mongoUrl, ready.mongoDb);
    const others = ready.pids.filter((p) => !ready.services.some((s) => s.pid === p));
    const processes: ProcessTarget[] = [
      ...ready.services,
      ...others.map((p) => ({ pid: p, label: nameOf(p) })),
      { pid: ready.hostPid, label: 'gateway' },
    ];
    return {
      url: ready.url,
      wsOrigin: ready.url.replace(/^http/, 'ws'),
      ownStack: true,
      redisUrl: ready.redisUrl,
      mongoUrl: ready.mongoUrl,
      mongoDb: ready.mongoDb,
      infrastructure,
      processes: () => processes,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

export function existingStack(options: {
  url: string;
  redisUrl?: string;
  mongoUrl?: string;
  mongoDb: string;
  pids: number[];
}): Target {
  const origin = new URL(options.url).origin;
  const redact = (u: string) => u.replace(/\/\/[^@]*@/, '//***@');
  return {
    url: origin,
    wsOrigin: origin.replace(/^http/, 'ws'),
    ownStack: false,
    redisUrl: options.redisUrl,
    mongoUrl: options.mongoUrl,
    mongoDb: options.mongoDb,
    infrastructure: [
      ...(options.redisUrl ? [`redis: ${redact(options.redisUrl)}`] : []),
      ...(options.mongoUrl ? [`mongo: ${redact(options.mongoUrl)}`] : []),
    ],
    processes: () => options.pids.map((pid) => ({ pid, label: nameOf(pid) })),
    stop: async () => undefined,
  };
}
