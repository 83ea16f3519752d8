import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Redis from 'ioredis';
import { MongoClient, type Db } from 'mongodb';
import { resolveMongo, resolveRedis, spawnChild, waitForLine, type ChildHandle } from '@pizza/stack';
import { serviceEnv } from './stack';

const ROOT = join(__dirname, '..', '..', '..', '..');
const MAIN = join('services', 'orders', 'src', 'main.ts');

export interface ProcessInfra {
  db: Db;
  redis: Redis;
  /** Runs the order service as a real process; resolves once it listens. Stopped in afterAll. */
  launch(extraEnv?: NodeJS.ProcessEnv): Promise<{ child: ChildHandle; url: string }>;
}

/** A private Redis and a fresh MongoDB database per test file, for order services run as child processes. */
export function useProcessInfra(dbPrefix: string): ProcessInfra {
  const stops: (() => Promise<unknown>)[] = [];
  const state: { db?: Db; redis?: Redis; env?: NodeJS.ProcessEnv } = {};
  beforeAll(async () => {
    const redisInstance = await resolveRedis();
    stops.push(() => redisInstance.stop());
    const mongoInstance = await resolveMongo();
    stops.push(() => mongoInstance.stop());
    const mongoDb = `${dbPrefix}_${randomUUID().replace(/-/g, '')}`;
    const client = await MongoClient.connect(mongoInstance.url);
    stops.push(() => client.close());
    state.db = client.db(mongoDb);
    stops.push(() => state.db!.dropDatabase().catch(() => undefined));
    state.redis = new Redis(redisInstance.url);
    stops.push(() => state.redis!.quit());
    state.env = {
      ...serviceEnv({ redisUrl: redisInstance.url, mongoUrl: mongoInstance.url, mongoDb }),
      LOG_LEVEL: 'info',
    };
  }, 120_000);
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
  });
  return {
    get db() {
      return state.db!;
    },
    get redis() {
      return state.redis!;
    },
    async launch(extraEnv = {}) {
      const child = spawnChild(process.execPath, ['--import', 'tsx', MAIN], {
        cwd: ROOT,
        env: { ...state.env, ...extraEnv },
      });
      stops.push(() => child.stop());
      const line = await waitForLine(child, (l) => l.includes('orders listening'), {
        timeoutMs: 30_000,
        what: 'orders service',
      });
      child.child.stdout?.resume();
      child.child.stderr?.resume();
      return { child, url: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}` };
    },
  };
}
