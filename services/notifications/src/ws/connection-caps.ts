import type WebSocket from 'ws';
import { WS_CLOSE_TOO_MANY_CONNECTIONS, WS_CLOSE_TRY_AGAIN_LATER } from '@pizza/shared/contract';

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
