/** Which cap a new connection would pass: one client address's, or the gateway's total. */
export type FullCap = 'per_client' | 'total';

/**
 * Open connections per client address and in all, bounded (WS_MAX_CONNECTIONS_PER_CLIENT,
 * WS_MAX_CONNECTIONS): one client cannot take every socket the gateway can hold.
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

  release(address: string): void {
    const mine = this.perAddress.get(address) ?? 0;
    if (mine <= 0) return;
    if (mine === 1) this.perAddress.delete(address);
    else this.perAddress.set(address, mine - 1);
    this.total -= 1;
  }
}
