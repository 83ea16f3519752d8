import type Redis from 'ioredis';
import { errorMessage } from './errors';
import type { Logger } from './logger';
import { connectRedis } from './bus';

export interface ChannelSubscriptionOptions {
  redisUrl: string;
  /** Client name of the connection (CLIENT LIST). */
  connectionName: string;
  channel: string;
  logger: Logger;
  /** Names the subscription in log lines, e.g. `fan-out`. */
  what: string;
  onMessage(message: string): void;
  /** After a lost connection is back: messages may have been missed meanwhile, so catch up. */
  onResubscribed(): void;
}

/**
 * One Pub/Sub channel on a connection of its own. Pub/Sub is fire-and-forget, so a subscriber must learn when
 * it may have missed messages: every 'ready' after the first is a reconnect, and once the channel is
 * subscribed again (ioredis resubscribes by itself; subscribing once more and waiting for the reply makes sure
 * the subscription is live) `onResubscribed` lets the owner catch up from the source of truth.
 */
export class ChannelSubscription {
  private redis: Redis | undefined;

  constructor(private readonly o: ChannelSubscriptionOptions) {}

  async start(): Promise<void> {
    const { channel, logger, what } = this.o;
    const redis = connectRedis(this.o.redisUrl, this.o.connectionName);
    this.redis = redis;
    redis.on('message', (_channel: string, message: string) => this.o.onMessage(message));
    redis.on('error', (error: unknown) =>
      logger.warn({ err: errorMessage(error) }, `${what} connection error`),
    );
    await redis.subscribe(channel);
    redis.on('ready', () => {
      redis.subscribe(channel).then(
        () => this.o.onResubscribed(),
        (error: unknown) => logger.warn({ err: errorMessage(error) }, `${what} resubscribe failed`),
      );
    });
  }

  async stop(): Promise<void> {
    const redis = this.redis;
    this.redis = undefined;
    await redis?.quit().catch(() => redis.disconnect());
  }
}
