import { ChannelSubscription, type Logger } from '@pizza/shared';
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
  private readonly subscription: ChannelSubscription;

  constructor(o: WakeUpOptions) {
    this.subscription = new ChannelSubscription({
      redisUrl: o.redisUrl,
      connectionName: `${o.name}:wake-ups`,
      channel: TIMER_KEYS.scheduledChannel,
      logger: o.logger,
      what: 'timer wake-up',
      onMessage: (message) => {
        const delayMs = Number(message);
        if (Number.isFinite(delayMs)) o.onScheduled(delayMs);
        else o.logger.warn('ignoring a malformed timer wake-up');
      },
      onResubscribed: () => o.onResubscribed(),
    });
  }

  start(): Promise<void> {
    return this.subscription.start();
  }

  stop(): Promise<void> {
    return this.subscription.stop();
  }
}
