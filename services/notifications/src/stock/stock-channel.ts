import WebSocket from 'ws';
import type { Logger } from '@pizza/shared';
import type { StockMessage } from '@pizza/shared/contract';
import { TickedBroadcast } from '../system-view/broadcast';
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
export class StockChannel extends TickedBroadcast {
  /** Viewers that do not have the current message yet (new, or skipped while their buffer was full). */
  private readonly behind = new Set<WebSocket>();
  /** The levels last sent, as JSON of the items (the message's `at` aside), and that message. */
  private lastItems: string | undefined;
  private lastText: string | undefined;

  constructor(private readonly o: StockChannelOptions) {
    super(o.intervalMs, o.logger, 'stock');
  }

  protected welcome(ws: WebSocket): void {
    // While ticking, the last message is the current state; otherwise the next tick (now) sends it.
    if (this.lastText && this.ticker.started) ws.send(this.lastText);
    else this.behind.add(ws);
  }

  protected override left(ws: WebSocket): void {
    this.behind.delete(ws);
  }

  protected async tick(): Promise<void> {
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
