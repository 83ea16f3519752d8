import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import type { Logger } from '@pizza/shared';
import type { TrackingState } from '../domain/tracking';
import { parseTrackingUrl, type TrackingTarget } from '../domain/tracking-url';
import type { GatewayMetrics } from '../metrics';
import type { CachedOrder } from '../store/tracking-cache';
import { ClientRegistry } from './registry';
import { tokenMatches } from './token';
import { TrackedClient } from './tracked-client';

export interface GatewayOptions {
  readCache(orderId: string): Promise<CachedOrder | undefined>;
  logger: Logger;
  metrics: GatewayMetrics;
  pingIntervalMs: number;
  clientTimeoutMs: number;
  maxBufferedBytes: number;
  graceMs: number;
}

/** Time given to clients to complete the closing handshake on shutdown before they are cut. */
const CLOSE_GRACE_MS = 1_000;

/**
 * `/ws/v1/order-tracking/{order_id}?token=T` on the service's HTTP server: checks the token against the
 * cache, sends the cached state at once, then every change this replica hears on the fan-out channel.
 */
export class TrackingGateway {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: 16 * 1024,
    perMessageDeflate: false,
    clientTracking: false,
  });
  private readonly clients = new ClientRegistry();
  private heartbeat: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(private readonly o: GatewayOptions) {}

  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(req, socket, head),
    );
  }

  start(): void {
    this.heartbeat = setInterval(() => this.beat(), this.o.pingIntervalMs);
    this.heartbeat.unref();
  }

  /** Whether a client of this replica watches the order. */
  watches(orderId: string): boolean {
    return this.clients.has(orderId);
  }

  /** A state from the fan-out channel: to this replica's clients of that order. */
  deliver(state: TrackingState): void {
    for (const client of this.clients.of(state.order_id)) client.offer(state);
  }

  /** After the fan-out connection came back: broadcasts may have been missed, so re-read each watched order. */
  async resync(): Promise<void> {
    for (const orderId of this.clients.orders()) {
      const cached = await this.o.readCache(orderId).catch(() => undefined);
      if (cached) this.deliver(cached.state);
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.heartbeat);
    const all = this.clients.all();
    await Promise.all(
      all.map(
        (client) =>
          new Promise<void>((resolve) => {
            if (client.ws.readyState === WebSocket.CLOSED) return resolve();
            client.ws.once('close', () => resolve());
            client.wake();
            client.ws.close(1001, 'server shutting down');
            setTimeout(() => client.ws.terminate(), CLOSE_GRACE_MS).unref();
          }),
      ),
    );
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const target = parseTrackingUrl(req.url);
    if (!target || this.stopping) {
      const status = this.stopping ? '503 Service Unavailable' : '404 Not Found';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.connect(ws, target).catch((error: unknown) => {
        this.o.logger.error({ err: error }, 'tracking connection failed');
        ws.close(1011, 'internal error');
      });
    });
  }

  private async connect(ws: WebSocket, target: TrackingTarget): Promise<void> {
    const client = new TrackedClient(ws, target.orderId ?? '', this.o);
    this.o.metrics.open.inc();
    ws.on('pong', () => client.seen());
    ws.on('message', () => client.seen());
    ws.on('error', (error) => this.o.logger.debug({ err: error }, 'websocket error'));
    ws.once('close', () => {
      this.clients.remove(client);
      this.o.metrics.open.dec();
      client.wake();
    });
    if (!target.orderId || !target.token) return client.rejectNotFound();
    // Registered before the cache is read, so nothing fanned out in between is missed.
    this.clients.add(client);
    await this.authorize(client, target.token);
  }

  /** Sends the cached state if the token matches; an order not cached yet gets a grace period to appear. */
  private async authorize(client: TrackedClient, token: string): Promise<void> {
    const deadline = Date.now() + this.o.graceMs;
    for (;;) {
      const cached = await this.o.readCache(client.orderId);
      if (client.closed) return;
      if (cached) {
        if (!tokenMatches(token, cached.tokenHash)) return client.rejectNotFound();
        return client.authorize(cached.state);
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.stopping) return client.rejectNotFound();
      await client.waitForState(left);
    }
  }

  /** Pings everyone; terminates whoever has been silent past the timeout. */
  private beat(): void {
    const now = Date.now();
    for (const client of this.clients.all()) {
      if (now - client.lastSeen > this.o.clientTimeoutMs) {
        client.terminate('timeout');
      } else if (client.ws.readyState === WebSocket.OPEN) {
        client.ws.ping();
      }
    }
  }
}
