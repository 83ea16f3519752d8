import { ChannelSubscription, type Logger } from '@pizza/shared';
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
  private readonly subscription: ChannelSubscription;

  constructor(private readonly o: FanoutOptions) {
    this.subscription = new ChannelSubscription({
      redisUrl: o.redisUrl,
      connectionName: `${o.name}:fanout`,
      channel: CACHE_KEYS.channel,
      logger: o.logger,
      what: 'fan-out',
      onMessage: (message) => this.receive(message),
      onResubscribed: () => o.onResubscribed(),
    });
  }

  start(): Promise<void> {
    return this.subscription.start();
  }

  stop(): Promise<void> {
    return this.subscription.stop();
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
