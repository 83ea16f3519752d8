import type Redis from 'ioredis';
import type { ChainableCommander } from 'ioredis';
import { fieldsToList, STREAMS, type StreamFields } from '@pizza/shared';
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

type PipelinedCommands = {
  simScheduleTimer(...args: (string | number)[]): ChainableCommander;
};

type Commands = {
  simScheduleTimer(...args: (string | number)[]): Promise<number>;
  simFireDueTimers(...args: (string | number)[]): Promise<[number, number, number]>;
  simCancelOrderTimers(...args: (string | number)[]): Promise<number>;
};

/** Durable timers: each method is one atomic script (see timer-scripts.ts). */
export class TimerStore {
  private readonly commands: Commands;

  constructor(
    private readonly redis: Redis,
    private readonly options: { maxLen: number },
  ) {
    redis.defineCommand('simScheduleTimer', { numberOfKeys: 4, lua: SCHEDULE_TIMER });
    redis.defineCommand('simFireDueTimers', {
      numberOfKeys: 2 + TARGET_STREAMS.length,
      lua: FIRE_DUE_TIMERS,
    });
    redis.defineCommand('simCancelOrderTimers', { numberOfKeys: 3, lua: CANCEL_ORDER_TIMERS });
    this.commands = redis as unknown as Commands;
  }

  async schedule(timer: {
    id: string;
    orderId: string;
    delayMs: number;
    stream: string;
    fields: StreamFields;
  }): Promise<ScheduleResult> {
    const entry = JSON.stringify({ stream: timer.stream, fields: fieldsToList(timer.fields) });
    // The wake-up goes in the same round trip, right behind the script; a duplicate's is a harmless extra look.
    const pipeline = this.redis.pipeline() as ChainableCommander & PipelinedCommands;
    pipeline.simScheduleTimer(
      TIMER_KEYS.due,
      TIMER_KEYS.entries,
      TIMER_KEYS.firedPrefix + timer.id,
      TIMER_KEYS.cancelledPrefix + timer.orderId,
      timer.id,
      timer.delayMs,
      entry,
    );
    pipeline.publish(TIMER_KEYS.scheduledChannel, String(timer.delayMs));
    const [scheduled] = (await pipeline.exec()) ?? [];
    if (!scheduled) throw new Error('scheduling a timer got no reply');
    if (scheduled[0]) throw scheduled[0];
    const result = scheduled[1];
    return result === 1 ? 'scheduled' : result === -1 ? 'cancelled' : 'duplicate';
  }

  async fireDue(batchSize: number): Promise<FireResult> {
    const [popped, written, nextDue] = await this.commands.simFireDueTimers(
      TIMER_KEYS.due,
      TIMER_KEYS.entries,
      ...TARGET_STREAMS,
      batchSize,
      this.options.maxLen,
      TIMER_KEYS.firedPrefix,
      MEMORY_TTL_SECONDS,
    );
    return { popped, written, nextDueInMs: nextDue < 0 ? undefined : nextDue };
  }

  /** Removes the given timers of a cancelled order and marks it cancelled; returns how many were pending. */
  cancelOrder(orderId: string, timerIds: readonly string[]): Promise<number> {
    return this.commands.simCancelOrderTimers(
      TIMER_KEYS.due,
      TIMER_KEYS.entries,
      TIMER_KEYS.cancelledPrefix + orderId,
      MEMORY_TTL_SECONDS,
      ...timerIds,
    );
  }

  pending(): Promise<number> {
    return this.redis.zcard(TIMER_KEYS.due);
  }
}
