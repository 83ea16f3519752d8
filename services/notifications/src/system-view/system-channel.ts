import type Redis from 'ioredis';
import WebSocket from 'ws';
import type { Logger } from '@pizza/shared';
import { DeadLetterTally } from './dead-letter-tally';
import { pruneStatusSets, readSystem } from './read-system';
import { SnapshotBuilder } from './snapshot';
import { Ticker } from './ticker';

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
export class SystemChannel {
  private readonly viewers = new Set<WebSocket>();
  private readonly builder = new SnapshotBuilder();
  private readonly tally = new DeadLetterTally();
  private readonly ticker: Ticker;
  private last: string | undefined;
  private ticks = 0;

  constructor(private readonly o: ChannelOptions) {
    this.ticker = new Ticker(
      o.intervalMs,
      () => this.tick(),
      (error) => o.logger.warn({ err: error }, 'system view tick failed'),
    );
  }

  get viewerCount(): number {
    return this.viewers.size;
  }

  add(ws: WebSocket): void {
    this.viewers.add(ws);
    ws.once('close', () => {
      this.viewers.delete(ws);
      if (this.viewers.size === 0) this.ticker.stop();
    });
    // The last snapshot at once (it is at most a tick old while ticking), the next on the tick.
    if (this.last && this.ticker.started) ws.send(this.last);
    this.ticker.start();
  }

  async stop(): Promise<void> {
    this.ticker.stop();
    await this.ticker.idle();
  }

  private async tick(): Promise<void> {
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
