import Redis from 'ioredis';
import { resolveRedis, type RedisInstance } from '@pizza/stack';
import { createLogger, EventBus, newEvent, type ConsumerOptions, type Envelope } from '../src';

export const silentLogger = createLogger({ service: 'test', level: 'silent' });

/** One private Redis per test file, flushed between tests. */
export function useRedis() {
  const state: { redis?: RedisInstance; client?: Redis; buses: EventBus[] } = { buses: [] };
  beforeAll(async () => {
    state.redis = await resolveRedis();
    state.client = new Redis(state.redis.url);
  });
  afterEach(async () => {
    await Promise.all(state.buses.splice(0).map((b) => b.close()));
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
    bus(name = 'test') {
      const bus = new EventBus({ redisUrl: state.redis!.url, logger: silentLogger, name });
      state.buses.push(bus);
      return bus;
    },
  };
}

export function orderSimulate(orderId = `o-${Math.random().toString(36).slice(2)}`): Envelope<'order.simulate'> {
  return newEvent('order.simulate', { order_id: orderId, next_status: 'confirmed' }, { source: 'test' });
}

export const fastRetry: Pick<ConsumerOptions, 'maxRetries' | 'claimIdleMs' | 'claimIntervalMs' | 'blockMs'> = {
  maxRetries: 3,
  claimIdleMs: 50,
  claimIntervalMs: 20,
  blockMs: 200,
};
