import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import {
  inPushSpan,
  pathOf,
  trackingTokenMatches,
  type FailureLimit,
  type Logger,
  type TrustProxy,
} from '@pizza/shared';
import { WS_TRACKING_PROTOCOL } from '@pizza/shared/contract';
import type { TrackingState } from '../domain/tracking';
import { parseTrackingUrl, type TrackingTarget } from '../domain/tracking-url';
import { isObservabilityPath } from '../system-view/channels';
import type { GatewayMetrics } from '../metrics';
import type { CachedOrder } from '../store/tracking-cache';
import { upgradeWithin, type ConnectionCaps, type TokenCheck } from './connection-caps';
import { ClientRegistry, TrackedClient } from './tracked-client';

export interface GatewayOptions {
  readCache(orderId: string): Promise<CachedOrder | undefined>;
  /** Several orders in one round trip, in the order asked. */
  readCaches(orderIds: readonly string[]): Promise<(CachedOrder | undefined)[]>;
  logger: Logger;
  metrics: GatewayMetrics;
  pingIntervalMs: number;
  clientTimeoutMs: number;
  maxBufferedBytes: number;
  graceMs: number;
  /**
   * Settles once the gateway's consumers have read the backlog they found at start. The grace for an
   * unknown order starts only then: a gateway just (re)started has not seen what is still in its streams.
   */
  caughtUp?: () => Promise<void>;
  /** Who may name the client in X-Forwarded-For (TRUST_PROXY), for the per-client cap. */
  trustProxy: TrustProxy;
  /** Shared with the gateway's other channels: the caps count every socket of the process. */
  caps: ConnectionCaps;
  /** Wrong tokens per client address (RATE_LIMIT_TOKEN_FAILURES), counted with the order API's. */
  tokenFailures: FailureLimit;
}

/** How a tracker's connect ended: only `not_found` (a wrong token, or an order unknown) is a failed check. */
type Authorization = 'authorized' | 'not_found' | 'gone';

/** Time given to clients to complete the closing handshake on shutdown before they are cut. */
const CLOSE_GRACE_MS = 1_000;
/** Orders re-read per round trip on a resync. */
const RESYNC_BATCH = 500;
/** While the gateway catches up, a waiting client's order is looked up again at least this often. */
const CATCH_UP_RECHECK_MS = 1_000;
/**
 * The longest an unknown order's tracker waits for the gateway to catch up, on top of the grace: a gateway
 * that never reads less than a full batch (a flood) must still answer 4404 to made-up orders some time.
 */
const CATCH_UP_MAX_WAIT_MS = 30_000;

/**
 * How often silent clients are looked for: a 20th of the timeout (3 s of 60 s), so a client is dropped at most
 * 5 % after WS_CLIENT_TIMEOUT_MS, however long the ping interval.
 */
export function sweepIntervalMs(o: { pingIntervalMs: number; clientTimeoutMs: number }): number {
  return Math.max(1, Math.min(o.pingIntervalMs, Math.ceil(o.clientTimeoutMs / 20)));
}

/**
 * `/ws/v1/order-tracking/{order_id}` on the service's HTTP server, the token offered as a subprotocol (or
 * `?token=T`): checks the token against the cache, sends the cached state at once, then every change this
 * replica hears on the fan-out channel. Connections are capped per client address and in total.
 */
export class TrackingGateway {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: 16 * 1024,
    perMessageDeflate: false,
    clientTracking: false,
    // Never the token protocol: the answer would carry the secret back.
    handleProtocols: (offered) => (offered.has(WS_TRACKING_PROTOCOL) ? WS_TRACKING_PROTOCOL : false),
  });
  private readonly clients = new ClientRegistry();
  private heartbeat: NodeJS.Timeout | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private stopping = false;
  /** The resync running, if any; `resyncAgain` when another was asked for meanwhile. */
  private resyncing: Promise<void> | undefined;
  private resyncAgain = false;

  constructor(private readonly o: GatewayOptions) {}

  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(req, socket, head),
    );
  }

  start(): void {
    this.heartbeat = setInterval(() => this.ping(), this.o.pingIntervalMs);
    this.heartbeat.unref();
    this.sweeper = setInterval(() => this.sweep(), sweepIntervalMs(this.o));
    this.sweeper.unref();
  }

  /** Whether a client of this replica watches the order. */
  watches(orderId: string): boolean {
    return this.clients.has(orderId);
  }

  /** A state from the fan-out channel: to this replica's clients of that order. */
  deliver(state: TrackingState): void {
    const clients = this.clients.of(state.order_id);
    // Tracing on: the push joins the trace of the event that caused the change.
    inPushSpan(
      'ws push',
      state.traceparent,
      { 'pizza.order_id': state.order_id, 'pizza.status': state.status, 'pizza.ws.clients': clients.length },
      () => {
        for (const client of clients) client.offer(state);
      },
    );
  }

  /**
   * After the fan-out connection came back: broadcasts may have been missed, so re-read each watched order.
   * Never two at once: asked for while one runs, one more runs after it (it may have read before the gap).
   */
  resync(): Promise<void> {
    if (this.resyncing) {
      this.resyncAgain = true;
      return this.resyncing;
    }
    const run = async () => {
      do {
        this.resyncAgain = false;
        await this.resyncOnce();
      } while (this.resyncAgain && !this.stopping);
    };
    this.resyncing = run().finally(() => {
      this.resyncing = undefined;
    });
    return this.resyncing;
  }

  private async resyncOnce(): Promise<void> {
    const orders = this.clients.orders();
    for (let i = 0; i < orders.length && !this.stopping; i += RESYNC_BATCH) {
      const batch = orders.slice(i, i + RESYNC_BATCH);
      const cached = await this.o.readCaches(batch).catch(() => []);
      for (const entry of cached) if (entry) this.deliver(entry.state);
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.heartbeat);
    clearInterval(this.sweeper);
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
    if (isObservabilityPath(req.url)) return; // served by the system-view channels
    const target = parseTrackingUrl(req.url, req.headers['sec-websocket-protocol']);
    this.o.logger.debug({ path: pathOf(req.url) }, 'websocket upgrade');
    if (!target || this.stopping) {
      const status = this.stopping ? '503 Service Unavailable' : '404 Not Found';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    upgradeWithin(this.o, this.wss, { req, socket, head, tokenFailures: this.o.tokenFailures }, (ws, check) =>
      this.connect(ws, target, check),
    );
  }

  private async connect(ws: WebSocket, target: TrackingTarget, check: TokenCheck): Promise<void> {
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
    if (this.stopping) return client.goAway();
    let outcome: Authorization = 'not_found';
    if (target.orderId && target.token) {
      // Registered before the cache is read, so nothing fanned out in between is missed.
      this.clients.add(client);
      outcome = await this.authorize(client, target.token);
    }
    check.settle(outcome === 'not_found');
    if (outcome === 'not_found') client.rejectNotFound();
  }

  /**
   * Sends the cached state if the token matches. An order not cached yet gets a grace period to appear,
   * counted from when the gateway has caught up with its streams, so that 4404 means unknown, not "not read yet".
   */
  private async authorize(client: TrackedClient, token: string): Promise<Authorization> {
    const latest = Date.now() + CATCH_UP_MAX_WAIT_MS + this.o.graceMs;
    let deadline = latest;
    let caughtUp = false;
    void (this.o.caughtUp?.() ?? Promise.resolve()).then(() => {
      caughtUp = true;
      client.wake();
    });
    for (;;) {
      const cached = await this.o.readCache(client.orderId);
      if (client.closed) return 'gone';
      if (this.stopping) return this.goAway(client);
      if (cached) {
        if (!trackingTokenMatches(token, cached.tokenHash)) return 'not_found';
        client.authorize(cached.state);
        return 'authorized';
      }
      if (caughtUp && deadline === latest) deadline = Math.min(latest, Date.now() + this.o.graceMs);
      const left = deadline - Date.now();
      if (left <= 0) return 'not_found';
      await client.waitForState(Math.min(left, CATCH_UP_RECHECK_MS));
      if (this.stopping) return this.goAway(client);
    }
  }

  private goAway(client: TrackedClient): 'gone' {
    client.goAway();
    return 'gone';
  }

  private ping(): void {
    for (const client of this.clients.all()) if (client.ws.readyState === WebSocket.OPEN) client.ws.ping();
  }

  /** Terminates whoever has been silent past the timeout. */
  private sweep(): void {
    const now = Date.now();
    for (const client of this.clients.all())
      if (now - client.lastSeen > this.o.clientTimeoutMs) client.terminate('timeout');
  }
}
