import WebSocket from 'ws';
import { WS_CLOSE_NOT_FOUND, type ErrorMessage } from '@pizza/shared';
import { toStatusMessage, type TrackingState } from '../domain/tracking';
import type { GatewayMetrics } from '../metrics';

/** States fanned out before the client is authorized, kept to be sent right after the cached state. */
const MAX_EARLY_STATES = 32;

/**
 * One WebSocket watching one order. It sends each state at most once and only forward (by rank), so the
 * cached state read on connect and the live fan-out can overlap without duplicates or going backwards.
 */
export class TrackedClient {
  lastSeen = Date.now();
  private lastRank = 0;
  private authorized = false;
  private early: TrackingState[] = [];
  private wakeUp: (() => void) | undefined;
  /** A wake with nobody waiting yet: the next wait returns at once, so no fan-out is slept through. */
  private wakePending = false;

  constructor(
    readonly ws: WebSocket,
    readonly orderId: string,
    private readonly o: { maxBufferedBytes: number; metrics: GatewayMetrics },
  ) {}

  get closed(): boolean {
    return this.ws.readyState === WebSocket.CLOSING || this.ws.readyState === WebSocket.CLOSED;
  }

  seen(): void {
    this.lastSeen = Date.now();
  }

  /** A fan-out state of this client's order. Before authorization it is kept and wakes a waiting connect. */
  offer(state: TrackingState): void {
    if (this.authorized) {
      this.push(state, { live: true });
      return;
    }
    if (this.early.length < MAX_EARLY_STATES) this.early.push(state);
    this.wake();
  }

  /**
   * The token matched: send the cached state and what was fanned out since the client connected, in rank
   * order. A client that came before its order was known thus sees every state from `created` on.
   */
  authorize(cached: TrackingState): void {
    this.authorized = true;
    const states = [...this.early, cached].sort((a, b) => a.rank - b.rank);
    this.early = [];
    for (const state of states) this.push(state, { live: state !== cached });
  }

  /** Resolves when a state of the order is fanned out, the client goes, or after `ms`. */
  waitForState(ms: number): Promise<void> {
    if (this.wakePending) {
      this.wakePending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake(), ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
    });
  }

  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.wakePending = true;
  }

  rejectNotFound(): void {
    if (this.closed) return;
    const message: ErrorMessage = { type: 'error', code: 'not_found', message: 'Unknown order or bad token' };
    this.ws.send(JSON.stringify(message));
    this.ws.close(WS_CLOSE_NOT_FOUND, 'not found');
  }

  /** The gateway is shutting down. */
  goAway(): void {
    if (!this.closed) this.ws.close(1001, 'server shutting down');
  }

  terminate(reason: 'timeout' | 'slow'): void {
    this.o.metrics.dropped.inc({ reason });
    this.ws.terminate();
  }

  private push(state: TrackingState, options: { live: boolean }): void {
    if (state.rank <= this.lastRank || this.ws.readyState !== WebSocket.OPEN) return;
    // The library buffers without limit; a client that does not read is dropped instead.
    if (this.ws.bufferedAmount > this.o.maxBufferedBytes) return this.terminate('slow');
    this.ws.send(JSON.stringify(toStatusMessage(state)));
    this.lastRank = state.rank;
    this.o.metrics.pushed.inc();
    const sinceEvent = (Date.now() - Date.parse(state.ts)) / 1000;
    if (options.live && Number.isFinite(sinceEvent)) this.o.metrics.latency.observe(Math.max(0, sinceEvent));
  }
}

/** This replica's connected clients, by the order they watch. */
export class ClientRegistry {
  private readonly byOrder = new Map<string, Set<TrackedClient>>();

  add(client: TrackedClient): void {
    const set = this.byOrder.get(client.orderId) ?? new Set<TrackedClient>();
    set.add(client);
    this.byOrder.set(client.orderId, set);
  }

  remove(client: TrackedClient): void {
    const set = this.byOrder.get(client.orderId);
    if (!set) return;
    set.delete(client);
    if (set.size === 0) this.byOrder.delete(client.orderId);
  }

  has(orderId: string): boolean {
    return this.byOrder.has(orderId);
  }

  of(orderId: string): TrackedClient[] {
    return [...(this.byOrder.get(orderId) ?? [])];
  }

  orders(): string[] {
    return [...this.byOrder.keys()];
  }

  all(): TrackedClient[] {
    return [...this.byOrder.values()].flatMap((set) => [...set]);
  }
}
