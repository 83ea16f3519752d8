import Redis from 'ioredis';
import type { Envelope } from '../contract';
import type { Logger } from '../logger';
import { StreamConsumer, type ConsumerOptions } from './consumer';
import { DEFAULT_STREAM_MAXLEN } from './dead-letters';
import { busMetrics } from './metrics';
import { Publisher, type RawEntry } from './publisher';
import { defineBusScripts } from './scripts';

export type { Handler, HandlerContext, Handlers, ConsumerOptions } from './consumer';
export type { RawEntry } from './publisher';
export { StreamConsumer } from './consumer';
export * from './dead-letters';

export interface EventBusOptions {
  redisUrl: string;
  logger: Logger;
  /** Connection name shown by CLIENT LIST. */
  name: string;
  maxLen?: number;
  deadLettersMaxLen?: number;
}

/** Opens an ioredis connection with settings suited to a long-running service. */
export function connectRedis(url: string, name: string): Redis {
  return new Redis(url, { connectionName: name, maxRetriesPerRequest: 20, enableAutoPipelining: false });
}

/**
 * The one event bus: publish envelopes (or raw entries), and run consumer-group consumers. It owns its
 * Redis connections: one for commands and one per consumer for blocking reads.
 */
export class EventBus {
  readonly redis: Redis;
  private readonly metrics = busMetrics();
  private readonly publisher: Publisher;
  private readonly scripts;
  private readonly consumers: StreamConsumer[] = [];
  private readonly readers: Redis[] = [];

  constructor(private readonly options: EventBusOptions) {
    this.redis = connectRedis(options.redisUrl, options.name);
    this.scripts = defineBusScripts(this.redis);
    this.publisher = new Publisher({
      redis: this.redis,
      metrics: this.metrics,
      maxLen: options.maxLen ?? DEFAULT_STREAM_MAXLEN,
      deadLettersMaxLen: options.deadLettersMaxLen ?? 1_000_000,
    });
  }

  publish(events: Envelope | readonly Envelope[]): Promise<string[]> {
    return this.publisher.publish(events);
  }

  publishRaw(entries: readonly RawEntry[]): Promise<string[]> {
    return this.publisher.publishRaw(entries);
  }

  /** Creates (not starts) a consumer; `close()` stops it. */
  consumer(options: ConsumerOptions): StreamConsumer {
    const reader = connectRedis(this.options.redisUrl, `${this.options.name}:reader`);
    this.readers.push(reader);
    const consumer = new StreamConsumer(options, {
      redis: this.redis,
      reader,
      scripts: this.scripts,
      metrics: this.metrics,
      logger: this.options.logger.child({ group: options.group, consumer: options.consumer }),
      deadLettersMaxLen: this.options.deadLettersMaxLen ?? 1_000_000,
    });
    this.consumers.push(consumer);
    return consumer;
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  /** Stops every consumer (draining in-flight handlers), then closes the connections. */
  async close(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.stop()));
    await Promise.all([...this.readers, this.redis].map((r) => r.quit().catch(() => r.disconnect())));
  }
}
