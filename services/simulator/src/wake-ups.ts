import type Redis from 'ioredis';
import { connectRedis, errorMessage, type Logger } from '@pizza/shared';
import { TIMER_KEYS } from './store/timer-store';

export interface WakeUpOptions {
  redisUrl: string;
  name: string;
  logger: Logger;
  /** A timer due in `delayMs` was scheduled by some replica. */
  onScheduled(delayMs: number): void;
  /** After a lost connection is back: wake-ups may have been missed, so look at the due timers now. */
  onResubscribed(): void;
}

/**
 * This replica's end of the timer wake-ups: a connection of its own subscribed to the channel every scheduled
 * timer's delay is PUBLISHed on, so an idle loop sleeps until its next due timer instead of polling.
 */
export class WakeUpSubscriber {
  private redis: Redis | undefined;

  constructor(private readonly o: WakeUpOptions) {}

  async start(): Promise<void> {
    const redis = connectRedis(this.o.redisUrl, `${this.o.name}:wake-ups`);
    this.redis = redis;
    redis.on('message', (_channel: string, message: string) => {
      const delayMs = Number(message);
      if (Number.isFinite(delayMs)) this.o.onScheduled(delayMs);
      else this.o.logger.warn('ignoring a malformed timer wake-up');
    });
    redis.on('error', (error: unknown) =>
      this.o.logger.warn({ err: errorMessage(error) }, 'timer wake-up connection error'),
    );
    await redis.subscribe(TIMER_KEYS.scheduledChannel);
    // Every 'ready' after the first is a reconnect; once subscribed again, catch up on what was missed.
    redis.on('ready', () => {
      redis.subscribe(TIMER_KEYS.scheduledChannel).then(
        () => this.o.onResubscribed(),
        (error: unknown) =>
          this.o.logger.warn({ err: errorMessage(error) }, 'timer wake-up resubscribe failed'),
      );
    });
  }

  async stop(): Promise<void> {
    const redis = this.redis;
    this.redis = undefined;
    await redis?.quit().catch(() => redis.disconnect());
  }
}
