import WebSocket from 'ws';
import { FANOUT_TOKEN } from './events';

/**
 * Many tracking clients in this one process, each on its own WebSocket to the gateway. A client counts as
 * connected once it has the state at connect; every later status is stamped with its arrival time.
 */
export interface ConnectResult {
  connected: number;
  failed: number;
  ms: number;
  errors: Record<string, number>;
}

export class FanoutClients {
  private readonly sockets: WebSocket[] = [];
  private readonly arrivals = new Map<string, Map<string, number>>();
  open = 0;

  constructor(private readonly origin: string) {}

  /** Arrival times (performance.now()) of `status`, by order id. */
  arrivalsOf(status: string): Map<string, number> {
    let map = this.arrivals.get(status);
    if (!map) this.arrivals.set(status, (map = new Map()));
    return map;
  }

  async connect(
    ids: readonly string[],
    options: { parallel: number; timeoutMs: number; onProgress?: (n: number) => void },
  ): Promise<ConnectResult> {
    const started = performance.now();
    const deadline = started + options.timeoutMs;
    const errors: Record<string, number> = {};
    let next = 0;
    let connected = 0;
    const one = (id: string) =>
      new Promise<void>((resolve) => {
        const ws = new WebSocket(`${this.origin}/ws/v1/order-tracking/${id}?token=${FANOUT_TOKEN}`, {
          perMessageDeflate: false,
        });
        let settled = false;
        let opened = false;
        const settle = (error?: string) => {
          if (settled) return;
          settled = true;
          if (error) errors[error] = (errors[error] ?? 0) + 1;
          else connected++;
          resolve();
        };
        const timer = setTimeout(() => settle('timeout'), 30_000);
        ws.on('open', () => {
          opened = true;
          this.open++;
        });
        ws.on('message', (data) => {
          const message = JSON.parse(String(data)) as { type?: string; status?: string; code?: string };
          if (message.type === 'status' && message.status)
            this.arrivalsOf(message.status).set(id, performance.now());
          clearTimeout(timer);
          settle(message.type === 'status' ? undefined : `message ${message.code ?? message.type}`);
        });
        ws.on('error', (error: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          settle(error.code ?? error.message);
        });
        ws.on('close', () => {
          if (opened) this.open--;
          clearTimeout(timer);
          settle('closed');
        });
        this.sockets.push(ws);
      });
    const worker = async () => {
      while (next < ids.length && performance.now() < deadline) {
        await one(ids[next++]!);
        options.onProgress?.(connected);
      }
    };
    await Promise.all(Array.from({ length: options.parallel }, worker));
    return { connected, failed: ids.length - connected, ms: performance.now() - started, errors };
  }

  async waitForArrivals(status: string, count: number, timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (this.arrivalsOf(status).size < count && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    return this.arrivalsOf(status).size >= count;
  }

  closeAll(): void {
    for (const ws of this.sockets) ws.terminate();
    this.sockets.length = 0;
  }
}
