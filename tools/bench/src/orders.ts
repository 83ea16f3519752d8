import { randomUUID } from 'node:crypto';
import { CreatedOrder, type MenuItem } from '@pizza/shared/contract';
import type { HttpAnswer, HttpClient } from './http-client';

/**
 * A virtual customer's order: one or two menu lines of one or two units, sent with its own
 * Idempotency-Key as the browser does. A POST with no answer at all (reset, timeout) is sent again with the
 * same key, as a client would: the key makes sure stock is taken once whatever happened to the first.
 */
export interface OrderCounts {
  sent: number;
  accepted: number;
  outOfStock: number;
  /** 4xx other than 409 out_of_stock: the bench's bodies are valid, so any of these is a finding. */
  otherClientErrors: number;
  /** 503 answers: the service shedding load (admission control). */
  shed: number;
  /** 5xx other than 503. */
  serverErrors: number;
  /** Still no HTTP answer after every retry. */
  connectionErrors: number;
  /** Extra attempts made with the same Idempotency-Key after no answer. */
  retries: number;
}

export interface AcceptedOrder {
  id: string;
  tracking_token: string;
  quantities: Record<string, number>;
  postStartedAt: number;
  postAnsweredAt: number;
  /** Set after the phase: its tracker saw delivered/delivered. */
  trackedToDelivered?: boolean;
}

/** A POST whose fate is unknown (no answer): resolved after the run by sending it once more. */
export interface UnansweredOrder {
  key: string;
  body: string;
  quantities: Record<string, number>;
}

const ATTEMPTS = 3;

export function newCounts(): OrderCounts {
  return {
    sent: 0,
    accepted: 0,
    outOfStock: 0,
    otherClientErrors: 0,
    shed: 0,
    serverErrors: 0,
    connectionErrors: 0,
    retries: 0,
  };
}

export function orderBody(
  menu: readonly MenuItem[],
  pick: () => number = Math.random,
): { body: string; quantities: Record<string, number> } {
  const lines = 1 + Math.floor(pick() * 2);
  const quantities: Record<string, number> = {};
  for (let i = 0; i < lines; i++) {
    const item = menu[Math.floor(pick() * menu.length)]!;
    quantities[item.id] = (quantities[item.id] ?? 0) + 1 + Math.floor(pick() * 2);
  }
  const items = Object.entries(quantities).map(([item_id, quantity]) => ({ item_id, quantity }));
  return {
    body: JSON.stringify({ items, customer: { name: 'Bench Customer', address: '1 Loopback Lane' } }),
    quantities,
  };
}

function accepted(answer: HttpAnswer, quantities: Record<string, number>, startedAt: number): AcceptedOrder {
  const created = CreatedOrder.parse(JSON.parse(answer.body));
  return {
    id: created.id,
    tracking_token: created.tracking_token,
    quantities,
    postStartedAt: startedAt,
    postAnsweredAt: performance.now(),
  };
}

export class OrderPlacer {
  readonly counts = newCounts();
  /** Milliseconds from the first attempt to the 201, for every accepted order. */
  readonly postLatencies: number[] = [];
  /** Milliseconds from the first attempt to the 503, for every shed order: shedding must be fast. */
  readonly shedLatencies: number[] = [];
  readonly unanswered: UnansweredOrder[] = [];

  constructor(
    private readonly client: HttpClient,
    private readonly menu: readonly MenuItem[],
  ) {}

  /** Places one order; returns it when the answer was a 201. */
  async place(): Promise<AcceptedOrder | undefined> {
    const { body, quantities } = orderBody(this.menu);
    const key = randomUUID();
    this.counts.sent++;
    const startedAt = performance.now();
    let answer = await this.client.post('/api/v1/orders', body, { 'idempotency-key': key });
    for (let attempt = 1; answer.status === 0 && attempt < ATTEMPTS; attempt++) {
      this.counts.retries++;
      answer = await this.client.post('/api/v1/orders', body, { 'idempotency-key': key });
    }
    if (answer.status === 201) {
      this.counts.accepted++;
      const order = accepted(answer, quantities, startedAt);
      this.postLatencies.push(order.postAnsweredAt - startedAt);
      return order;
    }
    if (answer.status === 409) this.counts.outOfStock++;
    else if (answer.status === 503) {
      this.counts.shed++;
      this.shedLatencies.push(performance.now() - startedAt);
    } else if (answer.status >= 500) this.counts.serverErrors++;
    else if (answer.status === 0) {
      this.counts.connectionErrors++;
      this.unanswered.push({ key, body, quantities });
    } else this.counts.otherClientErrors++;
    return undefined;
  }
}

/**
 * After the run, each unanswered POST is sent once more with its key: a 201 is the order the first attempt
 * made (or, if none was committed, a new one), so stock accounting stays exact either way.
 */
export async function resolveUnanswered(
  client: HttpClient,
  unanswered: readonly UnansweredOrder[],
): Promise<AcceptedOrder[]> {
  const resolved: AcceptedOrder[] = [];
  for (const u of unanswered) {
    const startedAt = performance.now();
    const answer = await client.post('/api/v1/orders', u.body, { 'idempotency-key': u.key });
    if (answer.status === 201) resolved.push(accepted(answer, u.quantities, startedAt));
  }
  return resolved;
}
