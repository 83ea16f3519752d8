import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { MongoClient, type Db } from 'mongodb';
import { resolveMongo, resolveRedis } from '@pizza/stack';
import {
  fieldsFromList,
  fieldsToList,
  fromStreamFields,
  newEvent,
  streamOf,
  toStreamFields,
  type Envelope,
  type EventType,
  type RunningService,
  type SimulatedDeliveryStatus,
} from '@pizza/shared';
import { start } from '../src/main';

/**
 * One private Redis and one fresh MongoDB database per test file; Redis is flushed and services stopped after
 * each test.
 */
export function useDeliveryHarness() {
  const state: {
    redisUrl?: string;
    mongoUrl?: string;
    mongoDb?: string;
    db?: Db;
    redis?: Redis;
    stops: (() => Promise<unknown>)[];
  } = {
    stops: [],
  };
  const running: RunningService[] = [];
  beforeAll(async () => {
    const redis = await resolveRedis();
    state.stops.push(() => redis.stop());
    const mongo = await resolveMongo();
    state.stops.push(() => mongo.stop());
    state.redisUrl = redis.url;
    state.mongoUrl = mongo.url;
    state.mongoDb = `delivery_test_${randomUUID().replace(/-/g, '')}`;
    const client = await MongoClient.connect(mongo.url);
    state.stops.push(() => client.close());
    state.db = client.db(state.mongoDb);
    state.stops.push(() => state.db!.dropDatabase().catch(() => undefined));
    state.redis = new Redis(redis.url);
    state.stops.push(() => state.redis!.quit());
  }, 120_000);
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
    await state.redis?.flushdb();
  });
  afterAll(async () => {
    for (const stop of state.stops.reverse()) await stop();
  });
  return {
    get db() {
      return state.db!;
    },
    get redis() {
      return state.redis!;
    },
    get mongo() {
      return { url: state.mongoUrl!, db: state.mongoDb! };
    },
    async service(env: NodeJS.ProcessEnv = {}): Promise<RunningService> {
      const service = await start({
        REDIS_URL: state.redisUrl,
        MONGO_URL: state.mongoUrl,
        MONGO_DB: state.mongoDb,
        HTTP_PORT: '0',
        LOG_LEVEL: 'silent',
        CONSUMER_NAME: `delivery-${randomUUID().slice(0, 8)}`,
        STREAM_CLAIM_IDLE_MS: '200',
        STREAM_MAX_RETRIES: '5',
        // Off unless a test turns it on: its re-drives would add events to what tests count.
        RECONCILE_STALL_MS: '0',
        ...env,
      });
      running.push(service);
      return service;
    },
  };
}

export async function publish(redis: Redis, ...events: Envelope[]): Promise<string[]> {
  const pipeline = redis.pipeline();
  for (const event of events) pipeline.xadd(streamOf(event), '*', ...fieldsToList(toStreamFields(event)));
  return ((await pipeline.exec()) ?? []).map(([, id]) => String(id));
}

export async function eventsOn<T extends EventType>(
  redis: Redis,
  stream: string,
  type: T,
  orderId?: string,
): Promise<Envelope<T>[]> {
  const entries = await redis.xrange(stream, '-', '+');
  return entries.flatMap(([, list]) => {
    const decoded = fromStreamFields(fieldsFromList(list));
    if (!decoded.ok || decoded.event.event_type !== type) return [];
    const event = decoded.event as Envelope<T>;
    return orderId === undefined || (event.payload as { order_id?: string }).order_id === orderId
      ? [event]
      : [];
  });
}

const source = { source: 'test' };
const now = () => new Date().toISOString();

export function orderCreated(orderId: string, address = '1 Main St') {
  return newEvent(
    'order.created',
    {
      order_id: orderId,
      status: 'created',
      items: [{ item_id: 'margherita', name: 'Margherita', quantity: 1, unit_price: 900 }],
      total: 900,
      customer: { name: 'Ada', address },
      token_hash: '0'.repeat(64),
      created_at: now(),
    },
    source,
  );
}

/** The order went out for delivery; `redrive` when the reconciler says it again. */
export function outForDelivery(orderId: string, options: { redrive?: true } = {}) {
  return newEvent(
    'order.status_changed',
    { order_id: orderId, from: 'preparing', status: 'out_for_delivery', at: now(), ...options },
    source,
  );
}

export function statusSimulated(deliveryId: string, orderId: string, status: SimulatedDeliveryStatus) {
  return newEvent(
    'delivery.status_simulated',
    { delivery_id: deliveryId, order_id: orderId, status },
    source,
  );
}
