import type Redis from 'ioredis';
import { z } from 'zod';
import {
  ChannelSubscription,
  defineScript,
  fieldsToList,
  STREAMS,
  type Logger,
  type StreamFields,
} from '@pizza/shared';
import { CANCEL_ORDER_TIMERS, FIRE_DUE_TIMERS, SCHEDULE_TIMER } from './timer-scripts';

/** Redis keys of the simulator (one Redis, one simulator deployment). */
export const TIMER_KEYS = {
  due: 'sim:timers:due',
  entries: 'sim:timers:entries',
  firedPrefix: 'sim:timers:fired:',
  cancelledPrefix: 'sim:cancelled:',
  /** Pub/Sub channel: the delay in ms of each timer scheduled, so every replica's loop wakes in time. */
  scheduledChannel: 'sim:timers:scheduled',
} as const;

/** How long a fired timer and a cancelled order are remembered: far beyond any redelivery window. */
export const MEMORY_TTL_SECONDS = 24 * 3600;

/** The only streams a timer may write to. */
const TARGET_STREAMS = [STREAMS.orderStatus, STREAMS.deliveryStatus];

export type ScheduleResult = 'scheduled' | 'duplicate' | 'cancelled';

export interface FireResult {
  popped: number;
  written: number;
  /** Milliseconds until the next pending timer is due; undefined when none is pending. */
  nextDueInMs: number | undefined;
}

/** Durable timers: each method is one atomic script (see timer-scripts.ts). */
export class TimerStore {
  private readonly scheduleTimer;
  private readonly fireDueTimers;
  private readonly cancelOrderTimers;

  constructor(
    private readonly redis: Redis,
    private readonly options: { clock?: () => Date } = {},
  ) {
    this.scheduleTimer = defineScript(redis, {
      name: 'schedule_timer',
      lua: SCHEDULE_TIMER,
      reply: z.number(),
    });
    this.fireDueTimers = defineScript(redis, {
      name: 'fire_due_timers',
      lua: FIRE_DUE_TIMERS,
      reply: z.tuple([z.number(), z.number(), z.number()]),
    });
    this.cancelOrderTimers = defineScript(redis, {
      name: 'cancel_order_timers',
      lua: CANCEL_ORDER_TIMERS,
      reply: z.number(),
    });
  }

  async schedule(timer: {
    id: string;
    orderId: string;
    delayMs: number;
    stream: string;
    fields: StreamFields;
    /** A reconciler's re-drive: scheduled even if this timer fired before. */
    redrive?: boolean;
  }): Promise<ScheduleResult> {
    const entry = JSON.stringify({ stream: timer.stream, fields: fieldsToList(timer.fields) });
    const result = await this.scheduleTimer(
      [
        TIMER_KEYS.due,
        TIMER_KEYS.entries,
        TIMER_KEYS.firedPrefix + timer.id,
        TIMER_KEYS.cancelledPrefix + timer.orderId,
      ],
      [timer.id, timer.delayMs, entry, TIMER_KEYS.scheduledChannel, timer.redrive ? '1' : '0'],
    );
    return result === 1 ? 'scheduled' : result === -1 ? 'cancelled' : 'duplicate';
  }

  /** Fires the due timers; their events' `timestamp` is the firing time on this process's clock. */
  async fireDue(batchSize: number): Promise<FireResult> {
    const firedAt = (this.options.clock?.() ?? new Date()).toISOString();
    const [popped, written, nextDue] = await this.fireDueTimers(
      [TIMER_KEYS.due, TIMER_KEYS.entries, ...TARGET_STREAMS],
      [batchSize, TIMER_KEYS.firedPrefix, MEMORY_TTL_SECONDS, firedAt],
    );
    return { popped, written, nextDueInMs: nextDue < 0 ? undefined : nextDue };
  }

  /** Removes the given timers of a cancelled order and marks it cancelled; returns how many were pending. */
  cancelOrder(orderId: string, timerIds: readonly string[]): Promise<number> {
    return this.cancelOrderTimers(
      [TIMER_KEYS.due, TIMER_KEYS.entries, TIMER_KEYS.cancelledPrefix + orderId],
      [MEMORY_TTL_SECONDS, ...timerIds],
    );
  }

  pending(): Promise<number> {
    return this.redis.zcard(TIMER_KEYS.due);
  }
}

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
