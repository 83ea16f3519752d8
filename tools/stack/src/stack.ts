import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { connectMongo } from '@pizza/shared';
import { waitFor } from '@pizza/shared/testing';
import { seedMenu } from '@pizza/orders/src/seed';
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
  const cleanup: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    const redis: RedisInstance = await resolveRedis({ log });
    cleanup.push(() => redis.stop());
    const mongo: MongoInstance = await resolveMongo({ log });
    cleanup.push(() => mongo.stop());
    const mongoDb = options.env?.MONGO_DB ?? process.env.MONGO_DB ?? 'pizza';
    await seedIfEmpty(mongo.url, mongoDb, log);
    if (options.buildFrontend !== false) await buildFrontendIfMissing(log, sink);

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

    const urlsOf = (name: ServiceName) => services.filter((s) => s.name === name).map((s) => s.url);
    const gateway = await startGateway({
      port: options.port ?? Number(process.env.PORT ?? 8080),
      staticDir: STATIC_DIR,
      orders: () => urlsOf('orders'),
      notifications: () => urlsOf('notifications'),
    });
    cleanup.push(() => gateway.close());
    await waitFor(async () => (await Promise.all(services.map((s) => isReady(s.url)))).every(Boolean), {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: 'every service to be ready',
    });

    const restart = async (label: string, signal: NodeJS.Signals = 'SIGKILL') => {
      const index = services.findIndex((s) => s.label === label);
      if (index < 0) throw new Error(`no process labelled ${label}`);
      const old = services[index]!;
      old.handle.child.kill(signal);
      await old.handle.exited;
      const fresh = await spawnService(old.name, old.label, env, sink);
      services[index] = fresh;
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

async function seedIfEmpty(url: string, dbName: string, log: (m: string) => void) {
  const mongo = await connectMongo(url, dbName, 'stack-seed');
  try {
    if ((await mongo.db.collection('menu').estimatedDocumentCount()) > 0) return;
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
