import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { resolveMongo, resolveRedis } from '@pizza/stack';
import { OPS_OUTBOX } from '../src/outbox';
import type { MenuDoc } from './helpers';
import {
  connectMongo,
  fieldsFromList,
  fromStreamFields,
  STREAMS,
  type Envelope,
  type MongoHandle,
} from '@pizza/shared';

type Instance = { url: string; stop(): Promise<void> };

/**
 * Redis and MongoDB for one test file (a private server each unless REDIS_URL / MONGO_URL are set), a
 * fresh random database, and a clean menu, outbox and Redis before each test.
 */
export function useStack() {
  const dbName = `ops_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const s: { redis?: Instance; mongo?: Instance; client?: Redis; handle?: MongoHandle } = {};
  beforeAll(async () => {
    s.redis = await resolveRedis();
    s.mongo = await resolveMongo();
    s.client = new Redis(s.redis.url);
    s.handle = await connectMongo(s.mongo.url, dbName, 'ops-test');
  }, 120_000);
  beforeEach(async () => {
    await s.client!.flushdb();
    await s.handle!.db.collection('menu').deleteMany({});
    await s.handle!.db.collection(OPS_OUTBOX.collection).deleteMany({});
  });
  afterAll(async () => {
    await s.handle?.db.dropDatabase().catch(() => undefined);
    await s.handle?.close();
    await s.client?.quit();
    await s.mongo?.stop();
    await s.redis?.stop();
  });
  return {
    dbName,
    get redis() {
      return s.client!;
    },
    get mongo() {
      return s.handle!;
    },
    get menu() {
      return s.handle!.db.collection<MenuDoc>('menu');
    },
    get env(): Record<string, string> {
      return { REDIS_URL: s.redis!.url, MONGO_URL: s.mongo!.url, MONGO_DB: dbName };
    },
    /** The `menu.restocked` events on `menu-stream`, oldest first. */
    async restockedEvents(): Promise<Envelope<'menu.restocked'>[]> {
      const entries = await s.client!.xrange(STREAMS.menu, '-', '+');
      return entries.flatMap(([, list]) => {
        const decoded = fromStreamFields(fieldsFromList(list));
        return decoded.ok && decoded.event.event_type === 'menu.restocked' ? [decoded.event] : [];
      });
    },
  };
}
