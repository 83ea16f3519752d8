import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type WebSocket from 'ws';
import type { WebSocketServer } from 'ws';
import {
  clientAddress,
  pathOf,
  type FailureLimit,
  type LimitedAttempt,
  type Logger,
  type TrustProxy,
} from '@pizza/shared';
import { WS_CLOSE_TOO_MANY_CONNECTIONS, WS_CLOSE_TRY_AGAIN_LATER } from '@pizza/shared/contract';
import type { GatewayMetrics } from '../metrics';

/** Which cap a new connection would pass: one client address's, or the gateway's total. */
export type FullCap = 'per_client' | 'total';

const REFUSALS: Record<FullCap, [code: number, reason: string]> = {
  per_client: [WS_CLOSE_TOO_MANY_CONNECTIONS, 'too many connections from this address'],
  total: [WS_CLOSE_TRY_AGAIN_LATER, 'too many connections, try again later'],
};

/**
 * Open connections per client address and in all, bounded (WS_MAX_CONNECTIONS_PER_CLIENT,
 * WS_MAX_CONNECTIONS): one client cannot take every socket the gateway can hold. One instance per gateway
 * process counts every channel's sockets (tracking, system view, stock, traces).
 */
export class ConnectionCaps {
  private readonly perAddress = new Map<string, number>();
  private total = 0;

  constructor(private readonly limits: { total: number; perClient: number }) {}

  /** Takes a slot for `address`; or, without taking one, names the cap that is full. */
  take(address: string): FullCap | undefined {
    const mine = this.perAddress.get(address) ?? 0;
    if (this.total >= this.limits.total) return 'total';
    if (mine >= this.limits.perClient) return 'per_client';
    this.perAddress.set(address, mine + 1);
    this.total += 1;
    return undefined;
  }

  /**
   * Takes a slot for a socket just upgraded, given back when it closes; or closes it with the full cap's code
   * (after the handshake, so that a browser sees the code rather than a failed connect) and returns false.
   */
  admit(ws: WebSocket, address: string, onRefused: (cap: FullCap) => void): boolean {
    const full = this.take(address);
    if (full) {
      onRefused(full);
      ws.close(...REFUSALS[full]);
      return false;
    }
    ws.once('close', () => this.release(address));
    return true;
  }

  release(address: string): void {
    const mine = this.perAddress.get(address) ?? 0;
    if (mine <= 0) return;
    if (mine === 1) this.perAddress.delete(address);
    else this.perAddress.set(address, mine - 1);
    this.total -= 1;
  }
}

/** What every channel of the gateway admits a socket through. */
export interface UpgradeGate {
  caps: ConnectionCaps;
  trustProxy: TrustProxy;
  metrics: Pick<GatewayMetrics, 'refused'>;
  logger: Logger;
}

/** A socket's token check, settled by its channel: a failure counts against RATE_LIMIT_TOKEN_FAILURES. */
export interface TokenCheck {
  settle(failed: boolean): void;
}

const UNCHECKED: LimitedAttempt = { limited: false, settle: () => undefined };

/**
 * Upgrades the request on `wss` and hands the socket to `connect`, within the caps (a socket past one is closed
 * with its code). A channel that checks a token passes `tokenFailures`, the order API's limit on wrong tokens:
 * an address past it is answered 429 with Retry-After instead of upgraded, and `connect` settles the check; a
 * socket that goes before its check settles gives its count back.
 */
export function upgradeWithin(
  gate: UpgradeGate,
  wss: WebSocketServer,
  upgrade: Upgrade,
  connect: (ws: WebSocket, check: TokenCheck) => Promise<void>,
): void {
  admit(gate, wss, upgrade, connect).catch((error: unknown) => {
    gate.logger.error({ err: error, path: pathOf(upgrade.req.url) }, 'websocket upgrade failed');
    upgrade.socket.destroy();
  });
}

interface Upgrade {
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  tokenFailures?: FailureLimit;
}

async function admit(
  gate: UpgradeGate,
  wss: WebSocketServer,
  { req, socket, head, tokenFailures }: Upgrade,
  connect: (ws: WebSocket, check: TokenCheck) => Promise<void>,
): Promise<void> {
  const address = clientAddress(req, gate.trustProxy);
  const attempt = tokenFailures ? await tokenFailures.attempt(address) : UNCHECKED;
  if (attempt.limited) return refuseTooMany(socket, attempt.retryAfterSeconds);
  socket.once('close', () => attempt.settle(false));
  wss.handleUpgrade(req, socket, head, (ws) => {
    if (!gate.caps.admit(ws, address, (cap) => gate.metrics.refused.inc({ reason: cap }))) return;
    connect(ws, attempt).catch((error: unknown) => {
      gate.logger.error({ err: error, path: pathOf(req.url) }, 'websocket connection failed');
      ws.close(1011, 'internal error');
    });
  });
}

function refuseTooMany(socket: Duplex, retryAfterSeconds: number): void {
  const body = JSON.stringify({
    error: { code: 'rate_limited', message: 'Too many wrong tokens; try again later' },
  });
  socket.end(
    'HTTP/1.1 429 Too Many Requests\r\n' +
      `Retry-After: ${retryAfterSeconds}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
