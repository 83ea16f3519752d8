import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type WebSocket from 'ws';
import { WebSocketServer } from 'ws';
import {
  pathOf,
  trackingTokenMatches,
  WS_CLOSE_NOT_FOUND,
  WS_SYSTEM_PATH,
  WS_TRACE_PATH,
  WS_TRACE_PROTOCOL,
  type FailureLimit,
  type Logger,
  type TrustProxy,
} from '@pizza/shared';
import { WS_STOCK_PATH } from '@pizza/shared/contract';
import { StockChannel } from '../stock/stock-channel';
import type { StockLevels } from '../stock/stock-levels';
import type Redis from 'ioredis';
import type { CachedOrder } from '../store/tracking-cache';
import { parseTrackingUrl, tokenFromProtocols } from '../domain/tracking-url';
import type { GatewayMetrics } from '../metrics';
import { upgradeWithin, type ConnectionCaps, type TokenCheck } from '../ws/connection-caps';
import { SystemChannel } from './system-channel';
import { TraceChannel } from './trace-channel';

export interface ObservabilityOptions {
  redis: Redis;
  logger: Logger;
  readCache(orderId: string): Promise<CachedOrder | undefined>;
  intervalMs: number;
  pingIntervalMs: number;
  maxBufferedBytes: number;
  stockLevels: Pick<StockLevels, 'read'>;
  stockIntervalMs: number;
  /** The tracking gateway's caps: these sockets count against the same per-client and total bounds. */
  caps: ConnectionCaps;
  trustProxy: TrustProxy;
  metrics: Pick<GatewayMetrics, 'refused'>;
  /** Wrong tokens on the trace channel count with the tracking channel's and the order API's. */
  tokenFailures: FailureLimit;
}

/** Whether the path is one of these channels (the tracking gateway leaves such upgrades alone). */
export function isObservabilityPath(url: string | undefined): boolean {
  const path = pathOf(url);
  return path === WS_SYSTEM_PATH || path === WS_STOCK_PATH || isTracePath(url);
}

const isTracePath = (url: string | undefined) => pathOf(url).startsWith(WS_TRACE_PATH);

/**
 * `/ws/v1/system` and `/ws/v1/stock` (public, read-only) and `/ws/v1/order-trace/{id}` (the order's tracking token offered as a
 * `token.<T>` subprotocol, checked as the tracking channel checks it) on the gateway's HTTP server. Clients send nothing; silent
 * ones are dropped after a missed ping so that they do not keep the ticks running.
 */
export class ObservabilityChannels {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: 1024,
    perMessageDeflate: false,
    // Never the token protocol: the answer would carry the secret back.
    handleProtocols: (offered) => (offered.has(WS_TRACE_PROTOCOL) ? WS_TRACE_PROTOCOL : false),
  });
  readonly system: SystemChannel;
  readonly stock: StockChannel;
  private readonly traces: TraceChannel;
  private readonly alive = new WeakSet<WebSocket>();
  private pinger: NodeJS.Timeout | undefined;

  constructor(private readonly o: ObservabilityOptions) {
    this.system = new SystemChannel(o);
    this.traces = new TraceChannel(o);
    this.stock = new StockChannel({ ...o, levels: o.stockLevels, intervalMs: o.stockIntervalMs });
  }

  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!isObservabilityPath(req.url)) return;
      // Only the trace channel checks a token; the others are public.
      const tokenFailures = isTracePath(req.url) ? this.o.tokenFailures : undefined;
      upgradeWithin(this.o, this.wss, { req, socket, head, tokenFailures }, (ws, check) =>
        this.connect(ws, req, check),
      );
    });
    this.pinger = setInterval(() => {
      for (const ws of this.wss.clients) {
        if (!this.alive.has(ws)) ws.terminate();
        else {
          this.alive.delete(ws);
          ws.ping();
        }
      }
    }, this.o.pingIntervalMs);
    this.pinger.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.pinger);
    await Promise.all([this.system.stop(), this.traces.stop(), this.stock.stop()]);
    for (const ws of this.wss.clients) ws.close(1001, 'server shutting down');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private async connect(ws: WebSocket, req: IncomingMessage, check: TokenCheck): Promise<void> {
    const url = req.url ?? '';
    this.alive.add(ws);
    ws.on('pong', () => this.alive.add(ws));
    ws.on('error', (error) => this.o.logger.debug({ err: error }, 'websocket error'));
    const path = url.split('?')[0];
    if (path === WS_SYSTEM_PATH) return this.system.add(ws);
    if (path === WS_STOCK_PATH) return this.stock.add(ws);
    // The subprotocol only: this channel never had links with the token in them.
    const orderId = parseTrackingUrl(url, undefined, WS_TRACE_PATH)?.orderId;
    const token = tokenFromProtocols(req.headers['sec-websocket-protocol']) ?? '';
    const cached = orderId ? await this.o.readCache(orderId) : undefined;
    const refused = !orderId || !cached || !trackingTokenMatches(token, cached.tokenHash);
    check.settle(refused);
    if (refused) {
      ws.send(
        JSON.stringify({ type: 'error', code: 'not_found', message: 'No such order, or a wrong token' }),
      );
      return ws.close(WS_CLOSE_NOT_FOUND, 'not found');
    }
    this.traces.add(orderId, ws);
  }
}
