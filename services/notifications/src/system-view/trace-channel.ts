import WebSocket from 'ws';
import { TRACE_KEYS } from '@pizza/shared';
import type { ChannelOptions } from './system-channel';
import { Ticker } from './ticker';
import { assembleTrace } from './trace';

/**
 * Order traces, live: per tick, one pipelined HGETALL per order someone follows (however many follow it),
 * sent only when it changed. Ticks only while someone follows an order.
 */
export class TraceChannel {
  private readonly followers = new Map<string, Set<WebSocket>>();
  private readonly lastSent = new Map<string, string>();
  private readonly ticker: Ticker;

  constructor(private readonly o: ChannelOptions) {
    this.ticker = new Ticker(
      o.intervalMs,
      () => this.tick(),
      (error) => o.logger.warn({ err: error }, 'trace tick failed'),
    );
  }

  add(orderId: string, ws: WebSocket): void {
    const set = this.followers.get(orderId) ?? new Set<WebSocket>();
    set.add(ws);
    this.followers.set(orderId, set);
    ws.once('close', () => {
      set.delete(ws);
      if (set.size > 0) return;
      this.followers.delete(orderId);
      this.lastSent.delete(orderId);
      if (this.followers.size === 0) this.ticker.stop();
    });
    const last = this.lastSent.get(orderId);
    if (last) ws.send(last);
    this.ticker.start();
  }

  async stop(): Promise<void> {
    this.ticker.stop();
    await this.ticker.idle();
  }

  private async tick(): Promise<void> {
    const orders = [...this.followers.keys()];
    const p = this.o.redis.pipeline();
    for (const orderId of orders) p.hgetall(TRACE_KEYS.order(orderId));
    const replies = (await p.exec()) ?? [];
    orders.forEach((orderId, i) => {
      const [error, hash] = replies[i] ?? [null, undefined];
      if (error || !hash) return;
      const text = JSON.stringify(assembleTrace(orderId, hash as Record<string, string>));
      if (this.lastSent.get(orderId) === text) return;
      this.lastSent.set(orderId, text);
      for (const ws of this.followers.get(orderId) ?? []) {
        if (ws.readyState === WebSocket.OPEN && ws.bufferedAmount <= this.o.maxBufferedBytes) ws.send(text);
      }
    });
  }
}
