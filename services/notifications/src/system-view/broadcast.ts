import type WebSocket from 'ws';
import type { Logger } from '@pizza/shared';
import { Ticker } from './ticker';

/**
 * A read-only channel that computes once per tick for all its viewers, and ticks only while it has one: the
 * bookkeeping the system view and the live stock share. Subclasses say what a tick sends and what a new
 * viewer gets at once.
 */
export abstract class TickedBroadcast {
  protected readonly viewers = new Set<WebSocket>();
  protected readonly ticker: Ticker;

  constructor(intervalMs: number, logger: Logger, what: string) {
    this.ticker = new Ticker(
      intervalMs,
      () => this.tick(),
      (error) => logger.warn({ err: error }, `${what} tick failed`),
    );
  }

  get viewerCount(): number {
    return this.viewers.size;
  }

  add(ws: WebSocket): void {
    this.viewers.add(ws);
    ws.once('close', () => {
      this.viewers.delete(ws);
      this.left(ws);
      if (this.viewers.size === 0) this.ticker.stop();
    });
    this.welcome(ws);
    this.ticker.start();
  }

  async stop(): Promise<void> {
    this.ticker.stop();
    await this.ticker.idle();
  }

  protected abstract tick(): Promise<void>;
  /** A new viewer, before the ticker is (re)started: send it what it should have at once, if anything. */
  protected abstract welcome(ws: WebSocket): void;
  protected left(_ws: WebSocket): void {}
}
