import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { resolveRedis, type RedisInstance } from '@pizza/stack';
import {
  fieldsFromList,
  fieldsToList,
  fromStreamFields,
  newEvent,
  streamOf,
  toStreamFields,
  type Envelope,
  type EventType,
  type SimulatedDeliveryStatus,
  type SimulatedOrderStatus,
} from '@pizza/shared';

/**
 * One private Redis per test file, flushed between tests. Whatever a test starts goes through `stopAfterTest`:
 * it is stopped before the flush, so no service still runs against a Redis being emptied (a test file's own
 * afterEach would run after this one).
 */
export function useRedis() {
  const state: { redis?: RedisInstance; client?: Redis; started: { stop(): Promise<unknown> }[] } = { started: [] };
  beforeAll(async () => {
    state.redis = await resolveRedis();
    state.client = new Redis(state.redis.url);
  });
  afterEach(async () => {
    await Promise.all(state.started.splice(0).map((s) => s.stop()));
    await state.client?.flushdb();
  });
  afterAll(async () => {
    await state.client?.quit();
    await state.redis?.stop();
  });
  return {
    get url() {
      return state.redis!.url;
    },
    get client() {
      return state.client!;
    },
    /** Registers a started service or process; returns it. */
    stopAfterTest<T extends { stop(): Promise<unknown> }>(started: T): T {
      state.started.push(started);
      return started;
    },
  };
}

/** The environment of a simulator under test: fast retries, quiet logs, a consumer name of its own. */
export function simulatorEnv(
  redisUrl: string,
  delays: [number, number],
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  return {
    REDIS_URL: redisUrl,
    HTTP_PORT: '0',
    LOG_LEVEL: 'silent',
    CONSUMER_NAME: `simulator-${randomUUID().slice(0, 8)}`,
    SIMULATOR_MIN_DELAY_MS: String(delays[0]),
    SIMULATOR_MAX_DELAY_MS: String(delays[1]),
    STREAM_CLAIM_IDLE_MS: '200',
    STREAM_MAX_RETRIES: '5',
    ...extra,
  };
}

export function orderSimulate(orderId: string, next: SimulatedOrderStatus = 'confirmed') {
  return newEvent('order.simulate', { order_id: orderId, next_status: next }, { source: 'test' });
}

export function deliverySimulate(deliveryId: string, orderId: string, next: SimulatedDeliveryStatus) {
  return newEvent(
    'delivery.simulate',
    { delivery_id: deliveryId, order_id: orderId, next_status: next },
    { source: 'test' },
  );
}

export function orderCancelled(orderId: string) {
  return newEvent(
    'order.cancelled',
    {
      order_id: orderId,
      from: 'confirmed',
      status: 'cancelled',
      items: [{ item_id: 'margherita', quantity: 1 }],
      at: new Date().toISOString(),
    },
    { source: 'test' },
  );
}

/** Every valid event of one type on a stream, oldest first. */
export async function eventsOn<T extends EventType>(
  redis: Redis,
  stream: string,
  type: T,
): Promise<Envelope<T>[]> {
  const entries = await redis.xrange(stream, '-', '+');
  return entries.flatMap(([, list]) => {
    const decoded = fromStreamFields(fieldsFromList(list));
    return decoded.ok && decoded.event.event_type === type ? [decoded.event as Envelope<T>] : [];
  });
}

/** Writes events as the services' outboxes would. */
export async function publish(redis: Redis, ...events: Envelope[]): Promise<void> {
  const pipeline = redis.pipeline();
  for (const event of events) pipeline.xadd(streamOf(event), '*', ...fieldsToList(toStreamFields(event)));
  await pipeline.exec();
}
