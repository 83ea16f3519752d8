import Redis from 'ioredis';
import type { Envelope } from '../contract';
import type { Logger } from '../logger';
import { StreamConsumer, type ConsumerOptions } from './consumer';
import { busMetrics } from './metrics';
import { Publisher, type RawEntry } from './publisher';
import { defineBusScripts } from './scripts';
import { StreamTrimmer } from './trimmer';

/** The trimmer's target length of working streams when none is configured (STREAM_MAXLEN's default). */
const DEFAULT_STREAM_MAXLEN = 100_000;

export type { BatchEntry, BatchHandler, Handler, HandlerContext, Handlers, ConsumerOptions } from './consumer';
export type { RawEntry } from './publisher';
export { StreamConsumer } from './consumer';
export { StreamTrimmer } from './trimmer';
export * from './dead-letters';
export * from './trace';

export interface EventBusOptions {
  redisUrl: string;
  logger: Logger;
  /** Connection name shown by CLIENT LIST. */
  name: string;
  /** STREAM_MAXLEN: the length the trimmer brings working streams back to once every group has acked. */
  maxLen?: number;
  /** STREAM_TRIM_INTERVAL_MS. */
  trimIntervalMs?: number;
  deadLettersMaxLen?: number;
  /** REDIS_COMMAND_TIMEOUT_MS: every command's deadline (a blocking read gets its BLOCK on top). */
  commandTimeoutMs?: number;
}

export const DEFAULT_REDIS_COMMAND_TIMEOUT_MS = 5_000;

/**
 * Opens an ioredis connection with settings suited to a long-running service. `commandTimeoutMs` bounds
 * every command, so a hung Redis fails fast ("Command timed out", an infrastructure failure); a connection
 * for blocking reads must be given more than its BLOCK.
 */
export function connectRedis(url: string, name: string, commandTimeoutMs = DEFAULT_REDIS_COMMAND_TIMEOUT_MS): Redis {
  return new Redis(url, { connectionName: name, maxRetriesPerRequest: 20, enableAutoPipelining: false, commandTimeout: commandTimeoutMs });
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
  readonly trimmer: StreamTrimmer;
  private readonly consumers: StreamConsumer[] = [];
  private readonly readers: Redis[] = [];

  constructor(private readonly options: EventBusOptions) {
    this.redis = connectRedis(options.redisUrl, options.name, this.commandTimeoutMs);
    this.scripts = defineBusScripts(this.redis);
    this.publisher = new Publisher({
      redis: this.redis,
      metrics: this.metrics,
      deadLettersMaxLen: options.deadLettersMaxLen ?? 1_000_000,
    });
    this.trimmer = new StreamTrimmer(
      this.redis,
      { maxLen: options.maxLen ?? DEFAULT_STREAM_MAXLEN, intervalMs: options.trimIntervalMs ?? 10_000 },
      this.metrics,
      options.logger,
    );
  }

  private get commandTimeoutMs(): number {
    return this.options.commandTimeoutMs ?? DEFAULT_REDIS_COMMAND_TIMEOUT_MS;
  }

  publish(events: Envelope | readonly Envelope[]): Promise<string[]> {
    return this.publisher.publish(events);
  }

  publishRaw(entries: readonly RawEntry[]): Promise<string[]> {
    return this.publisher.publishRaw(entries);
  }

  /** Creates (not starts) a consumer; `close()` stops it. */
  consumer(options: ConsumerOptions): StreamConsumer {
    const reader = connectRedis(this.options.redisUrl, `${this.options.name}:reader`, (options.blockMs ?? 2_000) + this.commandTimeoutMs);
    this.readers.push(reader);
    const consumer = new StreamConsumer(options, {
      redis: this.redis,
      reader,
      scripts: this.scripts,
      metrics: this.metrics,
      logger: this.options.logger.child({ group: options.group, consumer: options.consumer }),
      deadLettersMaxLen: this.options.deadLettersMaxLen ?? 1_000_000,
      trimmer: this.trimmer,
    });
    this.consumers.push(consumer);
    return consumer;
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  /** The consumers whose last read failed, with why: readiness reports them. */
  consumersNotReading(): string[] {
    return this.consumers.flatMap((c) => {
      const state = c.reading;
      return state.ok ? [] : [`${state.group}: ${state.error ?? 'cannot read'}`];
    });
  }

  /** Settles once every consumer created so far has read past the backlog it found at start. */
  caughtUp(): Promise<void> {
    return Promise.all(this.consumers.map((c) => c.caughtUp)).then(() => undefined);
  }

  /** Stops every consumer (draining in-flight handlers), then closes the connections. */
  async close(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.stop()));
    await Promise.all([...this.readers, this.redis].map((r) => r.quit().catch(() => r.disconnect())));
  }
}
