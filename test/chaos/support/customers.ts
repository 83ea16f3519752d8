import { randomUUID } from 'node:crypto';
import { CreatedOrder } from '@pizza/shared/contract';

/**
 * Customers that keep their word: each order has one Idempotency-Key, and a POST without a definite answer
 * (no response, or the gateway's 502/503 while orders restarts) is sent again with that key until the
 * answer is definite or the order's deadline passes. So every order's fate is known, and the stock check
 * can be exact even while processes die under the requests.
 */
export interface PlacedOrder {
  id: string;
  token: string;
  quantities: Record<string, number>;
}

export interface CustomerCounts {
  orders: number;
  accepted: number;
  /** Definite refusals (409 out of stock, other 4xx): nothing taken. */
  refused: number;
  /** Answers without a definite outcome, each followed by a retry with the same key. */
  noAnswer: number;
  gateway5xx: number;
  /** 5xx from the order service itself: a finding, also retried. */
  service5xx: number;
  retries: number;
  /** Orders whose fate stayed unknown at their deadline. */
  unresolved: number;
  /** The longest any order took from its first attempt to a definite answer, in ms. */
  slowestMs: number;
}

export class Customers {
  readonly placed: PlacedOrder[] = [];
  readonly counts: CustomerCounts = {
    orders: 0,
    accepted: 0,
    refused: 0,
    noAnswer: 0,
    gateway5xx: 0,
    service5xx: 0,
    retries: 0,
    unresolved: 0,
    slowestMs: 0,
  };

  constructor(
    private readonly origin: string,
    private readonly itemIds: readonly string[],
    // Longer than MongoDB's transaction lifetime (60 s): a process killed mid-transaction keeps its locks
    // (an item's stock, say) until then, and orders for that item wait behind them.
    private readonly perOrderDeadlineMs = 150_000,
  ) {}

  /** Orders at a steady rate (open loop) until `orders` were started; resolves when every one is settled. */
  async run(orders: number, ratePerSecond: number): Promise<void> {
    const all: Promise<void>[] = [];
    const started = performance.now();
    for (let i = 0; i < orders; i++) {
      const due = started + (i * 1000) / ratePerSecond;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      all.push(this.placeOne(i));
    }
    await Promise.all(all);
  }

  async placeOne(n: number): Promise<void> {
    this.counts.orders++;
    const quantities = { [this.itemIds[n % this.itemIds.length]!]: 1 + (n % 2) };
    const body = JSON.stringify({
      items: Object.entries(quantities).map(([item_id, quantity]) => ({ item_id, quantity })),
      customer: { name: `Chaos ${n}`, address: `${n} Fault Street` },
    });
    const key = randomUUID();
    const started = performance.now();
    const deadline = started + this.perOrderDeadlineMs;
    const settled = () =>
      (this.counts.slowestMs = Math.max(this.counts.slowestMs, Math.round(performance.now() - started)));
    for (let attempt = 0; performance.now() < deadline; attempt++) {
      if (attempt > 0) {
        this.counts.retries++;
        await new Promise((r) => setTimeout(r, 250));
      }
      let status = 0;
      let text = '';
      try {
        const res = await fetch(`${this.origin}/api/v1/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': key },
          body,
          signal: AbortSignal.timeout(15_000),
        });
        status = res.status;
        text = await res.text();
      } catch {
        status = 0;
      }
      if (status === 201) {
        const order = CreatedOrder.parse(JSON.parse(text));
        this.counts.accepted++;
        this.placed.push({ id: order.id, token: order.tracking_token, quantities });
        settled();
        return;
      }
      if (status >= 400 && status < 500) {
        this.counts.refused++;
        settled();
        return;
      }
      if (status === 0) this.counts.noAnswer++;
      else if (status === 502 || status === 503) this.counts.gateway5xx++;
      else this.counts.service5xx++;
    }
    this.counts.unresolved++;
  }

  /** Units taken per item by the accepted orders. */
  taken(): Map<string, number> {
    const taken = new Map<string, number>();
    for (const o of this.placed)
      for (const [id, q] of Object.entries(o.quantities)) taken.set(id, (taken.get(id) ?? 0) + q);
    return taken;
  }
}
