import type Redis from 'ioredis';
import { connectRedis, errorMessage, type Logger } from '@pizza/shared';
import type { TrackingState } from '../domain/tracking';
import { CACHE_KEYS, TrackingStateSchema } from './tracking-cache';

export interface FanoutOptions {
  redisUrl: string;
  name: string;
  logger: Logger;
  /** Whether this replica has a client of the order: messages of other orders are dropped unvalidated. */
  watches(orderId: string): boolean;
  onState(state: TrackingState): void;
  /** After a lost connection is back: broadcasts may have been missed, so resync from the cache. */
  onResubscribed(): void;
}

/**
 * This replica's end of the fan-out: a connection of its own subscribed to the channel every cache update is
 * PUBLISHed on (see README: consumer groups give each entry to one replica, so changes are broadcast).
 */
export class FanoutSubscriber {
  private redis: Redis | undefined;

  constructor(private readonly o: FanoutOptions) {}

  async start(): Promise<void> {
    const redis = connectRedis(this.o.redisUrl, `${this.o.name}:fanout`);
    this.redis = redis;
    redis.on('message', (_channel: string, message: string) => this.receive(message));
    redis.on('error', (error: unknown) =>
      this.o.logger.warn({ err: errorMessage(error) }, 'fan-out connection error'),
    );
    await redis.subscribe(CACHE_KEYS.channel);
    // Every 'ready' after the first is a reconnect. ioredis resubscribes by itself; subscribing once more and
    // waiting for the reply makes sure the subscription is live before the resync reads the cache.
    redis.on('ready', () => {
      redis.subscribe(CACHE_KEYS.channel).then(
        () => this.o.onResubscribed(),
        (error: unknown) => this.o.logger.warn({ err: errorMessage(error) }, 'fan-out resubscribe failed'),
      );
    });
  }

  async stop(): Promise<void> {
    const redis = this.redis;
    this.redis = undefined;
    await redis?.quit().catch(() => redis.disconnect());
  }

  /** Every replica gets every change: most are for orders it has no client of, so those cost only the parse. */
  private receive(message: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      parsed = undefined;
    }
    const orderId = (parsed as { order_id?: unknown } | null | undefined)?.order_id;
    if (typeof orderId === 'string' && !this.o.watches(orderId)) return;
    const state = TrackingStateSchema.safeParse(parsed);
    if (state.success) this.o.onState(state.data);
    else this.o.logger.warn('ignoring a malformed fan-out message');
  }
}
