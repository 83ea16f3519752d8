import WebSocket from 'ws';
import type { Logger } from '@pizza/shared';
import type { StockMessage } from '@pizza/shared/contract';
import { Ticker } from '../system-view/ticker';
import type { StockLevels } from './stock-levels';

export interface StockChannelOptions {
  levels: Pick<StockLevels, 'read'>;
  logger: Logger;
  /** Tick period: changes within one tick go out as one message. */
  intervalMs: number;
  /** A viewer with more unsent bytes than this skips messages until it catches up. */
  maxBufferedBytes: number;
}

/**
 * `/ws/v1/stock`: per tick, ONE read of the cached levels (whichever replica applied the change), and, when
 * they changed, one serialised message sent as the same text to every viewer. A viewer gets the latest at
 * once on connect. Ticks only while someone watches.
 */
export class StockChannel {
  private readonly viewers = new Set<WebSocket>();
  /** Viewers that do not have the current message yet (new, or skipped while their buffer was full). */
  private readonly behind = new Set<WebSocket>();
  private readonly ticker: Ticker;
  /** The levels last sent, as JSON of the items (the message's `at` aside), and that message. */
  private lastItems: string | undefined;
  private lastText: string | undefined;

  constructor(private readonly o: StockChannelOptions) {
    this.ticker = new Ticker(
      o.intervalMs,
      () => this.tick(),
      (error) => o.logger.warn({ err: error }, 'stock tick failed'),
    );
  }

  get viewerCount(): number {
    return this.viewers.size;
  }

  add(ws: WebSocket): void {
    this.viewers.add(ws);
    ws.once('close', () => {
      this.viewers.delete(ws);
      this.behind.delete(ws);
      if (this.viewers.size === 0) this.ticker.stop();
    });
    // While ticking, the last message is the current state; otherwise the next tick (now) sends it.
    if (this.lastText && this.ticker.started) ws.send(this.lastText);
    else this.behind.add(ws);
    this.ticker.start();
  }

  async stop(): Promise<void> {
    this.ticker.stop();
    await this.ticker.idle();
  }

  private async tick(): Promise<void> {
    const items = await this.o.levels.read();
    const serialised = JSON.stringify(items);
    if (serialised !== this.lastItems || !this.lastText) {
      const message: StockMessage = { type: 'stock', items, at: new Date().toISOString() };
      this.lastItems = serialised;
      this.lastText = JSON.stringify(message);
      for (const ws of this.viewers) this.behind.add(ws);
    }
    for (const ws of this.behind) {
      if (ws.readyState !== WebSocket.OPEN || ws.bufferedAmount > this.o.maxBufferedBytes) continue;
      ws.send(this.lastText);
      this.behind.delete(ws);
    }
  }
}
