import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { MongoClient, type Db } from 'mongodb';
import { resolveMongo, resolveRedis } from '@pizza/stack';
import {
  createLogger,
  EventBus,
  fieldsFromList,
  fromStreamFields,
  type Envelope,
  type RunningService,
} from '@pizza/shared';
import { GENEROUS_LIMITS_ENV } from '@pizza/shared/testing';
import { start } from '../../src/main';
import { collections, type MenuDoc } from '../../src/store/collections';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface Stack {
  /** The service's base URL. */
  url: string;
  db: Db;
  redis: Redis;
  bus: EventBus;
  redisUrl: string;
  mongoUrl: string;
  mongoDb: string;
  service: RunningService;
}

/**
 * One private Redis, one fresh MongoDB database and the order service in-process on port 0, per test file.
 * Everything is stopped in afterAll.
 */
export function useStack(): Stack {
  const state: Partial<Stack> & { stops: (() => Promise<unknown>)[] } = { stops: [] };
  beforeAll(async () => {
    const redisInstance = await resolveRedis();
    state.stops.push(() => redisInstance.stop());
    const mongoInstance = await resolveMongo();
    state.stops.push(() => mongoInstance.stop());
    const mongoDb = `orders_test_${randomUUID().replace(/-/g, '')}`;
    Object.assign(state, { redisUrl: redisInstance.url, mongoUrl: mongoInstance.url, mongoDb });
    const client = await MongoClient.connect(mongoInstance.url);
    state.stops.push(() => client.close());
    state.db = client.db(mongoDb);
    state.stops.push(() => state.db!.dropDatabase().catch(() => undefined));
    state.redis = new Redis(redisInstance.url);
    state.stops.push(() => state.redis!.quit());
    state.bus = new EventBus({
      redisUrl: redisInstance.url,
      logger: createLogger({ service: 'test', level: 'silent' }),
      name: 'test',
    });
    state.stops.push(() => state.bus!.close());
    state.service = await start(serviceEnv(state as Stack));
    state.stops.push(() => state.service!.stop());
    state.url = `http://127.0.0.1:${state.service.port}`;
  }, 120_000);
  afterAll(async () => {
    // Reverse order: the service first, the infrastructure last.
    for (const stop of state.stops.reverse()) await stop();
  });
  return new Proxy({} as Stack, { get: (_t, key: keyof Stack) => state[key] });
}

export function serviceEnv(s: Pick<Stack, 'redisUrl' | 'mongoUrl' | 'mongoDb'>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HTTP_PORT: '0',
    REDIS_URL: s.redisUrl,
    MONGO_URL: s.mongoUrl,
    MONGO_DB: s.mongoDb,
    ADMIN_TOKEN,
    STREAM_CLAIM_IDLE_MS: '200',
    // Off unless a test turns it on: its re-drives would add events to what tests count.
    RECONCILE_STALL_MS: '0',
    LOG_LEVEL: 'silent',
    ...GENEROUS_LIMITS_ENV,
  };
}

export function menuItem(id: string, stock: number, overrides: Partial<MenuDoc> = {}): MenuDoc {
  return {
    _id: id,
    name: id,
    description: `${id} for tests`,
    price: 1000,
    category: 'pizza',
    stock,
    target_stock: stock,
    ...overrides,
  };
}

/** Inserts menu items with ids unique to the test, so tests in one file never share stock. */
export async function addItems(db: Db, ...items: MenuDoc[]): Promise<void> {
  await collections(db).menu.insertMany(items);
}

export async function stockOf(db: Db, id: string): Promise<number | undefined> {
  return (await collections(db).menu.findOne({ _id: id }))?.stock;
}

export function uid(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** Every event on `stream`, decoded, optionally only those about one order. */
export async function eventsOn(redis: Redis, stream: string, orderId?: string): Promise<Envelope[]> {
  const entries = await redis.xrange(stream, '-', '+');
  return entries
    .map(([, list]) => fromStreamFields(fieldsFromList(list)))
    .flatMap((d) => (d.ok ? [d.event] : []))
    .filter((e) => orderId === undefined || (e.payload as { order_id?: string }).order_id === orderId);
}
