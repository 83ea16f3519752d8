import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { connectMongo } from '@pizza/shared';
import { seedMenu } from '@pizza/orders/src/seed';
import { collections } from '@pizza/orders/src/store/collections';
import { startGateway } from './gateway';
import { resolveMongo, type MongoInstance } from './infra/mongo';
import { spawnChild } from './infra/process';
import { resolveRedis, type RedisInstance } from './infra/redis';
import { pipeLines, type LineSink } from './logs';
import { REPO_ROOT, SERVICE_NAMES, isReady, spawnService, type ServiceName, type ServiceProcess } from './services';

export interface StackOptions {
  /** Gateway port; 0 picks a free one. Default: PORT, else 8080. */
  port?: number;
  /** Replicas per service, e.g. `{ notifications: 2 }`. */
  scale?: Partial<Record<ServiceName, number>>;
  /** Extra environment for every service (delays, retries, log level…). */
  env?: Record<string, string>;
  /** Where process output goes; default: nowhere. */
  sink?: LineSink;
  /** Messages of the launcher itself. */
  log?: (message: string) => void;
  /** Build the frontend when no build is present (default true). */
  buildFrontend?: boolean;
  /**
   * Aborting gives up starting: checked between steps and while waiting for readiness; whatever was
   * started is stopped and startStack rejects with the signal's reason.
   */
  signal?: AbortSignal;
}

export interface Stack {
  url: string;
  port: number;
  redisUrl: string;
  mongoUrl: string;
  mongoDb: string;
  adminToken: string;
  services: ServiceProcess[];
  /** Every process the stack started that is still meant to run (services, Redis, MongoDB stand-in). */
  pids(): number[];
  /** Kills one replica with `signal` and starts a new one in its place (fault tests). */
  restart(label: string, signal?: NodeJS.Signals): Promise<ServiceProcess>;
  stop(): Promise<void>;
}

const STATIC_DIR = join(REPO_ROOT, 'frontend', 'dist');
const quiet: LineSink = () => undefined;

/**
 * Runs the whole system on this machine: Redis and MongoDB per the contract's resolution, the menu seeded
 * when empty, the frontend built when missing, every service as its own process, and one gateway origin.
 * Resolves once every service's readiness answers 200. `stop()` ends every process it started.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const log = options.log ?? (() => undefined);
  const sink = options.sink ?? quiet;
  const signal = options.signal;
  const cleanup: (() => Promise<void>)[] = [];
  let stopping = false;
  const stopAll = async () => {
    stopping = true;
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    signal?.throwIfAborted();
    const redis: RedisInstance = await resolveRedis({ log });
    cleanup.push(() => redis.stop());
    signal?.throwIfAborted();
    const mongo: MongoInstance = await resolveMongo({ log });
    cleanup.push(() => mongo.stop());
    signal?.throwIfAborted();
    const mongoDb = options.env?.MONGO_DB ?? process.env.MONGO_DB ?? 'pizza';
    await seedIfEmpty(mongo.url, mongoDb, log);
    signal?.throwIfAborted();
    if (options.buildFrontend !== false) await buildFrontendIfMissing(log, sink);
    signal?.throwIfAborted();

    const adminToken = options.env?.ADMIN_TOKEN ?? process.env.ADMIN_TOKEN ?? randomBytes(24).toString('base64url');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...options.env,
      REDIS_URL: redis.url,
      MONGO_URL: mongo.url,
      MONGO_DB: mongoDb,
      ADMIN_TOKEN: adminToken,
    };
    const services: ServiceProcess[] = [];
    cleanup.push(async () => {
      await Promise.all(services.map((s) => s.handle.stop()));
    });
    const launches = SERVICE_NAMES.flatMap((name) =>
      Array.from({ length: Math.max(1, options.scale?.[name] ?? 1) }, (_, i) => [name, i === 0 ? name : `${name}-${i + 1}`] as const),
    );
    // Started together: each waits on its own port line, so the slowest sets the pace.
    const started = await Promise.allSettled(launches.map(([name, label]) => spawnService(name, label, env, sink)));
    for (const result of started) if (result.status === 'fulfilled') services.push(result.value);
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    signal?.throwIfAborted();

    const urlsOf = (name: ServiceName) => services.filter((s) => s.name === name).map((s) => s.url);
    const gateway = await startGateway({
      port: options.port ?? Number(process.env.PORT ?? 8080),
      staticDir: STATIC_DIR,
      orders: () => urlsOf('orders'),
      notifications: () => urlsOf('notifications'),
      // The gateway's access log only at debug: at 10 orders/s it would drown everything else.
      accessLog: ['debug', 'trace'].includes(env.LOG_LEVEL ?? '') ? (line) => sink('gateway', line) : undefined,
    });
    cleanup.push(() => gateway.close());
    await waitUntilReady(services, { timeoutMs: 60_000, signal });

    // From here on a service should only end when stopped or restarted: say so if one dies.
    const retired = new Set<ServiceProcess>();
    const watch = (service: ServiceProcess) => {
      void service.handle.exited.then((code) => {
        if (stopping || retired.has(service)) return;
        log(`${service.label}: exited unexpectedly (${exitText(service, code)}); the stack is degraded`);
      });
    };
    services.forEach(watch);

    const restart = async (label: string, signal: NodeJS.Signals = 'SIGKILL') => {
      const index = services.findIndex((s) => s.label === label);
      if (index < 0) throw new Error(`no process labelled ${label}`);
      const old = services[index]!;
      retired.add(old);
      old.handle.child.kill(signal);
      await old.handle.exited;
      const fresh = await spawnService(old.name, old.label, env, sink);
      services[index] = fresh;
      watch(fresh);
      return fresh;
    };

    const url = `http://localhost:${gateway.port}`;
    return {
      url,
      port: gateway.port,
      redisUrl: redis.url,
      mongoUrl: mongo.url,
      mongoDb,
      adminToken,
      services,
      pids: () => [...services.map((s) => s.pid), ...[redis.pid, mongo.pid].filter((p): p is number => !!p)],
      restart,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function exitText(service: ServiceProcess, code: number | null): string {
  const killedBy = service.handle.child.signalCode;
  return killedBy !== null ? `killed by ${killedBy}` : `exit code ${code}`;
}

/**
 * Polls every service's readiness until all answer 200. Fails at once, naming the service, if one of
 * them exits meanwhile (instead of waiting out the deadline), and when `signal` aborts.
 */
export async function waitUntilReady(
  services: readonly ServiceProcess[],
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<void> {
  const done = new AbortController();
  const exitedEarly = new Promise<never>((_, reject) => {
    for (const service of services) {
      void service.handle.exited.then((code) =>
        reject(new Error(`${service.label} exited before it was ready (${exitText(service, code)}); see its output above`)),
      );
    }
  });
  const aborted = new Promise<never>((_, reject) => {
    const signal = options.signal;
    if (signal === undefined) return;
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    done.signal.addEventListener('abort', () => signal.removeEventListener('abort', onAbort), { once: true });
  });
  // Whichever loses the race may still settle later: that must not count as unhandled.
  exitedEarly.catch(() => undefined);
  aborted.catch(() => undefined);

  const poll = async () => {
    const deadline = Date.now() + options.timeoutMs;
    while (!done.signal.aborted) {
      const ready = await Promise.all(services.map((s) => isReady(s.url)));
      if (ready.every(Boolean)) return;
      if (Date.now() > deadline) {
        const waiting = services.filter((_, i) => !ready[i]).map((s) => s.label);
        throw new Error(`not ready within ${options.timeoutMs} ms: ${waiting.join(', ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  try {
    await Promise.race([poll(), exitedEarly, aborted]);
  } finally {
    done.abort();
  }
}

async function seedIfEmpty(url: string, dbName: string, log: (m: string) => void) {
  const mongo = await connectMongo(url, dbName, 'stack-seed');
  try {
    if ((await collections(mongo.db).menu.estimatedDocumentCount()) > 0) return;
    await seedMenu(mongo.db);
    log('menu: seeded');
  } finally {
    await mongo.close();
  }
}

async function buildFrontendIfMissing(log: (m: string) => void, sink: LineSink) {
  if (existsSync(join(STATIC_DIR, 'index.html'))) return;
  log('frontend: no build found; building it once (npm run build:frontend)');
  const build = spawnChild('npm', ['run', 'build', '-w', 'frontend'], { cwd: REPO_ROOT, env: process.env });
  pipeLines(build.child.stdout, 'frontend-build', sink);
  pipeLines(build.child.stderr, 'frontend-build', sink);
  const code = await build.exited;
  if (code !== 0) throw new Error(`frontend build failed (exit ${code})`);
}
