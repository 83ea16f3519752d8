import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { fieldsToList, newEvent, ORDER_LIFECYCLE, toStreamFields } from '@pizza/shared';

/**
 * The ceiling of the event bus: raw ioredis on the same Redis, no envelope checks, no handlers. The same
 * two paths as the bus benchmark (bus.ts): pipelined XADD (batches of 500) and XREADGROUP COUNT 100 + XACK.
 * Works on a stream of its own, deleted afterwards.
 */
export interface RedisBaseline {
  events: number;
  xaddPerSecond: number;
  readAckPerSecond: number;
}

const BATCH = 500;

export async function measureRawRedis(redisUrl: string, events = 20_000): Promise<RedisBaseline> {
  const redis = new Redis(redisUrl, { connectionName: 'bench-baseline', maxRetriesPerRequest: 3 });
  const stream = `bench-raw-${randomUUID()}`;
  try {
    const fields = fieldsToList(
      toStreamFields(
        newEvent(
          'order.simulate',
          { order_id: randomUUID(), next_status: ORDER_LIFECYCLE.simulated[0] },
          { source: 'bench' },
        ),
      ),
    );
    let started = performance.now();
    for (let i = 0; i < events; i += BATCH) {
      const pipeline = redis.pipeline();
      for (let j = i; j < Math.min(events, i + BATCH); j++)
        pipeline.xadd(stream, 'MAXLEN', '~', 1_000_000, '*', ...fields);
      await pipeline.exec();
    }
    const xaddPerSecond = events / ((performance.now() - started) / 1000);

    await redis.xgroup('CREATE', stream, 'raw', '0');
    started = performance.now();
    let seen = 0;
    const deadline = started + 60_000;
    while (seen < events && performance.now() < deadline) {
      const reply = (await redis.xreadgroup(
        'GROUP',
        'raw',
        'c',
        'COUNT',
        100,
        'BLOCK',
        1000,
        'STREAMS',
        stream,
        '>',
      )) as [string, [string, string[]][]][] | null;
      const entries = reply?.[0]?.[1] ?? [];
      if (entries.length === 0) continue;
      await redis.xack(stream, 'raw', ...entries.map(([id]) => id));
      seen += entries.length;
    }
    const readAckPerSecond = seen / ((performance.now() - started) / 1000);
    return { events, xaddPerSecond, readAckPerSecond };
  } finally {
    await redis.del(stream).catch(() => undefined);
    await redis.quit().catch(() => redis.disconnect());
  }
}
