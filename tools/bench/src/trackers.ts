import WebSocket from 'ws';
import { journeyText, LIFECYCLES, trackingJourney, TrackingMessage } from '@pizza/shared/contract';

/** Every (status / delivery_status) step of an order, in the order a tracking client must see them. */
export const FULL_JOURNEY: readonly string[] = trackingJourney(LIFECYCLES).map((step) =>
  journeyText(step, '-'),
);
const DONE = FULL_JOURNEY[FULL_JOURNEY.length - 1];

/** What one tracker saw of one order. Times are `performance.now()` milliseconds of this process. */
export interface Tracked {
  orderId: string;
  postStartedAt: number;
  postAnsweredAt: number;
  firstPushAt?: number;
  deliveredAt?: number;
  seen: string[];
  /** Why the tracker ended before `delivered/delivered` (socket error, close, error message). */
  failure?: string;
}

/**
 * Undefined when `seen` is a contiguous slice of the full journey that ends at delivered/delivered; else
 * what is wrong with it (a duplicate, a gap, a step out of order, or no end).
 */
export function journeyProblem(seen: readonly string[]): string | undefined {
  if (seen.length === 0) return 'no push at all';
  const first = FULL_JOURNEY.indexOf(seen[0]!);
  if (first < 0) return `unknown step ${seen[0]}`;
  for (let i = 1; i < seen.length; i++) {
    const at = FULL_JOURNEY.indexOf(seen[i]!);
    const before = first + i - 1;
    if (at === before) return `duplicate ${seen[i]}`;
    if (at < before) return `out of order ${seen[i]} after ${seen[i - 1]}`;
    if (at > before + 1) return `missing ${FULL_JOURNEY.slice(before + 1, at).join(', ')}`;
  }
  if (seen[seen.length - 1] !== DONE) return `ended at ${seen[seen.length - 1]}`;
  return undefined;
}

/** One WebSocket per accepted order, opened right after the 201 and closed once it saw delivered. */
export class TrackerPool {
  readonly all: Tracked[] = [];
  open = 0;
  peakOpen = 0;
  private finished = 0;
  private readonly sockets = new Set<WebSocket>();

  constructor(private readonly wsOrigin: string) {}

  get unfinished(): number {
    return this.all.length - this.finished;
  }

  get delivered(): number {
    return this.all.filter((t) => t.deliveredAt !== undefined).length;
  }

  track(order: { id: string; tracking_token: string }, postStartedAt: number, postAnsweredAt: number): void {
    const tracked: Tracked = { orderId: order.id, postStartedAt, postAnsweredAt, seen: [] };
    this.all.push(tracked);
    const ws = new WebSocket(
      `${this.wsOrigin}/ws/v1/order-tracking/${order.id}?token=${encodeURIComponent(order.tracking_token)}`,
      {
        perMessageDeflate: false,
      },
    );
    this.sockets.add(ws);
    let ended = false;
    let opened = false;
    const end = (failure?: string) => {
      if (ended) return;
      ended = true;
      if (failure && tracked.deliveredAt === undefined) tracked.failure = failure;
      this.finished++;
    };
    ws.on('open', () => {
      opened = true;
      this.open++;
      this.peakOpen = Math.max(this.peakOpen, this.open);
    });
    ws.on('message', (data) => {
      const at = performance.now();
      const parsed = TrackingMessage.safeParse(JSON.parse(String(data)));
      if (!parsed.success) return end('unparseable message');
      const message = parsed.data;
      if (message.type === 'error') return end(`error ${message.code}`);
      tracked.firstPushAt ??= at;
      const step = `${message.status}/${message.delivery_status ?? '-'}`;
      tracked.seen.push(step);
      if (step === DONE) {
        tracked.deliveredAt = at;
        end();
        ws.close(1000);
      }
    });
    ws.on('error', (error) => end(`socket error ${error.message}`));
    ws.on('close', (code) => {
      this.sockets.delete(ws);
      if (opened) this.open--;
      end(`closed ${code} before delivered`);
    });
  }

  /** Resolves true once every tracker ended, false at the deadline. */
  async settle(timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (this.unfinished > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return this.unfinished === 0;
  }

  closeAll(): void {
    for (const ws of this.sockets) ws.terminate();
    this.sockets.clear();
  }
}
