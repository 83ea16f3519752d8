import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import Redis from 'ioredis';
import { MongoClient, type Db } from 'mongodb';
import {
  listeningPort,
  resolveMongo,
  resolveRedis,
  spawnChild,
  waitForLine,
  type ChildHandle,
  type MongoInstance,
  type RedisInstance,
} from '@pizza/stack';
import { seedMenu } from '@pizza/orders/src/seed';
import { GENEROUS_LIMITS_ENV } from '@pizza/shared/testing';

export const REPO_ROOT = resolve(__dirname, '../..');
export const ADMIN_TOKEN = 'pipeline-admin-token-0123456789';

export type ServiceName = 'orders' | 'delivery' | 'notifications' | 'simulator';

export interface ServiceProcess {
  name: ServiceName;
  label: string;
  handle: ChildHandle;
  url: string;
  port: number;
}

const USES_MONGO: ReadonlySet<ServiceName> = new Set(['orders', 'delivery']);

/** The servers a pipeline runs on; by default the ones `resolveRedis` and `resolveMongo` pick. */
export interface PipelineServers {
  redis?: () => Promise<RedisInstance>;
  mongo?: () => Promise<MongoInstance>;
}

/**
 * The whole system as real processes, per test file: a private Redis, a fresh MongoDB database with the menu
 * seeded, and each service started with `node --import tsx services/<name>/src/main.ts`. Everything started
 * is stopped in afterAll. PIPELINE_LOGS=1 echoes the services' logs (PIPELINE_LOG_LEVEL=debug for more).
 * A test that stops or pauses a server passes its own (`servers`), to hold its process.
 */
export function usePipeline(servers: PipelineServers = {}) {
  const state: {
    redisUrl?: string;
    mongoUrl?: string;
    mongoDb?: string;
    redis?: Redis;
    db?: Db;
    stops: (() => Promise<unknown>)[];
    /** Every child started and not yet exited, registered before it is waited on. */
    processes: Set<ChildHandle>;
  } = { stops: [], processes: new Set() };

  beforeAll(async () => {
    const [redis, mongo] = await Promise.all([(servers.redis ?? resolveRedis)(), (servers.mongo ?? resolveMongo)()]);
    state.stops.push(
      () => redis.stop(),
      () => mongo.stop(),
    );
    state.redisUrl = redis.url;
    state.mongoUrl = mongo.url;
    state.mongoDb = `pipeline_${randomUUID().replace(/-/g, '')}`;
    const client = await MongoClient.connect(mongo.url);
    state.stops.push(() => client.close());
    state.db = client.db(state.mongoDb);
    state.stops.push(() => state.db!.dropDatabase().catch(() => undefined));
    await seedMenu(state.db);
    state.redis = new Redis(redis.url);
    state.stops.push(() => state.redis!.quit());
  }, 120_000);

  afterAll(async () => {
    await Promise.all([...state.processes].map((handle) => handle.stop()));
    for (const stop of state.stops.reverse()) await stop();
  }, 60_000);

  function envFor(name: ServiceName, label: string, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const key of ['MONGO_URL', 'MONGO_DB', 'REDIS_URL', 'HTTP_PORT', 'PORT']) delete env[key];
    Object.assign(env, {
      REDIS_URL: state.redisUrl,
      HTTP_PORT: '0',
      LOG_LEVEL: process.env.PIPELINE_LOG_LEVEL ?? 'info',
      SERVICE_NAME: name,
      CONSUMER_NAME: `${label}-${randomUUID().slice(0, 8)}`,
      STREAM_CLAIM_IDLE_MS: '200',
      STREAM_MAX_RETRIES: '3',
      SIMULATOR_MIN_DELAY_MS: '0',
      SIMULATOR_MAX_DELAY_MS: '20',
      ADMIN_TOKEN,
      ...GENEROUS_LIMITS_ENV,
    });
    if (USES_MONGO.has(name)) Object.assign(env, { MONGO_URL: state.mongoUrl, MONGO_DB: state.mongoDb });
    return { ...env, ...extra };
  }

  return {
    get redis(): Redis {
      return state.redis!;
    },
    get db(): Db {
      return state.db!;
    },

    /** Starts one service process and resolves once it listens. */
    async spawn(
      name: ServiceName,
      options: { label?: string; env?: NodeJS.ProcessEnv } = {},
    ): Promise<ServiceProcess> {
      const label = options.label ?? name;
      const handle = spawnChild(process.execPath, ['--import', 'tsx', `services/${name}/src/main.ts`], {
        cwd: REPO_ROOT,
        env: envFor(name, label, options.env ?? {}),
      });
      // Registered at once: a child that never reports its port is still stopped in afterAll.
      state.processes.add(handle);
      void handle.exited.then(() => state.processes.delete(handle));
      const line = await waitForLine(handle, (l) => listeningPort(l) !== undefined, {
        timeoutMs: 60_000,
        what: label,
      });
      const port = listeningPort(line)!;
      for (const stream of [handle.child.stdout, handle.child.stderr]) {
        if (process.env.PIPELINE_LOGS === '1')
          stream?.on('data', (chunk: Buffer) => process.stderr.write(`[${label}] ${chunk}`));
        else stream?.resume();
      }
      return { name, label, handle, port, url: `http://127.0.0.1:${port}` };
    },

    /** `npm run stock:refill` as a real process against this pipeline; resolves with its exit code. */
    async refill(): Promise<number> {
      const env = envFor('orders', 'stock-refill', {});
      const handle = spawnChild(process.execPath, ['--import', 'tsx', 'services/orders/src/refill.ts'], {
        cwd: REPO_ROOT,
        env,
      });
      state.processes.add(handle);
      for (const stream of [handle.child.stdout, handle.child.stderr]) stream?.resume();
      const code = await handle.exited;
      state.processes.delete(handle);
      return code ?? -1;
    },

    async stop(proc: ServiceProcess): Promise<void> {
      await proc.handle.stop();
    },

    /** Freezes a process (SIGSTOP) while `work` runs, then lets it go on (SIGCONT). */
    async whilePaused<T>(proc: ServiceProcess, work: () => Promise<T>): Promise<T> {
      proc.handle.child.kill('SIGSTOP');
      try {
        return await work();
      } finally {
        proc.handle.child.kill('SIGCONT');
      }
    },

    /** SIGKILL: no shutdown, no ack, no flush. */
    async kill9(proc: ServiceProcess): Promise<void> {
      proc.handle.child.kill('SIGKILL');
      await proc.handle.exited;
    },
  };
}

