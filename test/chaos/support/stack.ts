import { MongoClient, type Db } from 'mongodb';
import Redis from 'ioredis';
import { startStack, type Stack } from '@pizza/stack';
import { dropExternalDbs, GENEROUS_LIMITS_ENV, uniqueDbName } from '@pizza/shared/testing';

/**
 * The whole system for one chaos case: the launcher's own stack (every service a process), fast simulator
 * steps and fast reclaiming, plus direct MongoDB and Redis handles to check the invariants. The last lines
 * of every process are kept so that a failure can show what the services said.
 */
export interface ChaosStack {
  stack: Stack;
  db: Db;
  redis: Redis;
  lastLines(): string;
  stop(): Promise<void>;
}

export const CHAOS_ENV = {
  // Every customer and every fuzz case comes from 127.0.0.1: one client to the limits.
  ...GENEROUS_LIMITS_ENV,
  SIMULATOR_MIN_DELAY_MS: '0',
  SIMULATOR_MAX_DELAY_MS: '50',
  STREAM_CLAIM_IDLE_MS: '1000',
  LOG_LEVEL: 'warn',
};

export async function startChaosStack(env: Record<string, string> = {}): Promise<ChaosStack> {
  const lines: string[] = [];
  // Its own database: a shared MongoDB (MONGO_URL) must not carry one case's orders and stock into the next.
  const mongoDb = uniqueDbName('chaos');
  const stack = await startStack({
    port: 0,
    buildFrontend: false,
    env: { ...CHAOS_ENV, ...env, MONGO_DB: mongoDb },
    sink: (name, line) => {
      lines.push(`${name} | ${line}`);
      if (lines.length > 200) lines.shift();
    },
  }).catch(async (error: unknown) => {
    await dropExternalDbs(mongoDb);
    throw error;
  });
  let mongo: MongoClient | undefined;
  let redis: Redis | undefined;
  try {
    mongo = await MongoClient.connect(stack.mongoUrl);
    redis = new Redis(stack.redisUrl, { maxRetriesPerRequest: null });
  } catch (error) {
    await mongo?.close();
    await stack.stop();
    await dropExternalDbs(mongoDb);
    throw error;
  }
  const [client, r] = [mongo, redis];
  return {
    stack,
    db: client.db(stack.mongoDb),
    redis: r,
    lastLines: () => lines.slice(-60).join('\n'),
    async stop() {
      r.disconnect();
      await client.close().catch(() => undefined);
      await stack.stop();
      await dropExternalDbs(mongoDb);
    },
  };
}

/**
 * A chaos stack on a Redis or MongoDB the case runs itself (to stop and start it): the launcher finds a server
 * by its URL variable, set for the start only.
 */
export async function startChaosStackOn(
  servers: { REDIS_URL?: string; MONGO_URL?: string },
  env: Record<string, string> = {},
): Promise<ChaosStack> {
  const previous = Object.keys(servers).map((name) => [name, process.env[name]] as const);
  Object.assign(process.env, servers);
  try {
    return await startChaosStack(env);
  } finally {
    for (const [name, value] of previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
