import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Redis from 'ioredis';
import { resolveMongo, resolveRedis, runScript } from '@pizza/stack';
import {
  connectMongo,
  createLogger,
  fieldsFromList,
  fromStreamFields,
  OUTBOX_COLLECTION,
  STREAMS,
  type Envelope,
  type MongoHandle,
} from '@pizza/shared';
import { collections } from '../../src/store/collections';

type Instance = { url: string; stop(): Promise<void> };

export const silentLogger = createLogger({ service: 'refill-test', level: 'silent' });

const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

/**
 * Redis and MongoDB for one test file with no order service running (so only the refill relays the
 * outbox): a private server each unless REDIS_URL / MONGO_URL are set, a fresh random database, and a
 * clean menu, outbox and Redis before each test.
 */
export function useRefillStack() {
  const dbName = `refill_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const s: { redis?: Instance; mongo?: Instance; client?: Redis; handle?: MongoHandle } = {};
  beforeAll(async () => {
    s.redis = await resolveRedis();
    s.mongo = await resolveMongo();
    s.client = new Redis(s.redis.url);
    s.handle = await connectMongo(s.mongo.url, dbName, 'refill-test');
  }, 120_000);
  beforeEach(async () => {
    await s.client!.flushdb();
    await collections(s.handle!.db).menu.deleteMany({});
    await s.handle!.db.collection(OUTBOX_COLLECTION).deleteMany({});
  });
  afterAll(async () => {
    await s.handle?.db.dropDatabase().catch(() => undefined);
    await s.handle?.close();
    await s.client?.quit();
    await s.mongo?.stop();
    await s.redis?.stop();
  });
  async function menuEvents<T extends 'menu.restocked' | 'stock.changed'>(type: T): Promise<Envelope<T>[]> {
    const entries = await s.client!.xrange(STREAMS.menu, '-', '+');
    return entries.flatMap(([, list]) => {
      const decoded = fromStreamFields(fieldsFromList(list));
      return decoded.ok && decoded.event.event_type === type ? [decoded.event as Envelope<T>] : [];
    });
  }
  return {
    dbName,
    get redis() {
      return s.client!;
    },
    get mongo() {
      return s.handle!;
    },
    get menu() {
      return collections(s.handle!.db).menu;
    },
    get outboxed() {
      return s.handle!.db.collection(OUTBOX_COLLECTION);
    },
    get env(): Record<string, string> {
      return { REDIS_URL: s.redis!.url, MONGO_URL: s.mongo!.url, MONGO_DB: dbName };
    },
    /** The `menu.restocked` events on `menu-stream`, oldest first. */
    restockedEvents(): Promise<Envelope<'menu.restocked'>[]> {
      return menuEvents('menu.restocked');
    },
    /** The `stock.changed` events on `menu-stream`, oldest first. */
    stockEvents(): Promise<Envelope<'stock.changed'>[]> {
      return menuEvents('stock.changed');
    },
  };
}

/** Runs an order-service entry point (`services/orders/src/<script>`) as a real process. */
export function runOrdersScript(script: string, args: readonly string[], env: Record<string, string>) {
  return runScript(join('services/orders/src', script), args, {
    cwd: REPO_ROOT,
    env: { LOG_LEVEL: 'warn', ...env },
    timeoutMs: 60_000,
  });
}
