import type Redis from 'ioredis';
import WebSocket from 'ws';
import type { Logger } from '@pizza/shared';
import { DeadLetterTally } from './dead-letter-tally';
import { pruneStatusSets, readSystem } from './read-system';
import { SnapshotBuilder } from './snapshot';
import { TickedBroadcast } from './broadcast';

export interface ChannelOptions {
  redis: Redis;
  logger: Logger;
  /** Tick period (about a second). */
  intervalMs: number;
  /** A viewer with more unsent bytes than this skips snapshots until it catches up. */
  maxBufferedBytes: number;
}

const PRUNE_EVERY_TICKS = 60;

/**
 * The live system view: ONE reading of Redis per tick, serialised once and sent as the same text to every
 * viewer. It ticks only while at least one viewer is connected: with none, it sends Redis nothing.
 */
export class SystemChannel extends TickedBroadcast {
  private readonly builder = new SnapshotBuilder();
  private readonly tally = new DeadLetterTally();
  private last: string | undefined;
  private ticks = 0;

  constructor(private readonly o: ChannelOptions) {
    super(o.intervalMs, o.logger, 'system view');
  }

  protected welcome(ws: WebSocket): void {
    // The last snapshot at once (it is at most a tick old while ticking), the next on the tick.
    if (this.last && this.ticker.started) ws.send(this.last);
  }

  protected async tick(): Promise<void> {
    const reading = await readSystem(this.o.redis);
    const dead = reading.streams.find((s) => s.stream === 'dead-letters');
    await this.tally.update(this.o.redis, dead?.length ?? 0, dead?.lastId ?? '0-0');
    if (this.ticks++ % PRUNE_EVERY_TICKS === 0) await pruneStatusSets(this.o.redis);
    this.last = JSON.stringify(this.builder.build(reading, this.tally));
    for (const ws of this.viewers) {
      if (ws.readyState === WebSocket.OPEN && ws.bufferedAmount <= this.o.maxBufferedBytes)
        ws.send(this.last);
    }
  }
}
