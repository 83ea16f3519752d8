import { MenuResponse, ORDER_LIFECYCLE, OrderView, type MenuItem } from '@pizza/shared/contract';
import type { HttpClient } from './http-client';
import type { AcceptedOrder } from './orders';
import type { PhaseResult } from './phase';

/** What must hold after a run, whatever the figures: the bench exits non-zero if one fails. */
export interface Invariant {
  name: string;
  ok: boolean;
  detail: string;
}

export async function readMenu(client: HttpClient): Promise<MenuItem[]> {
  const answer = await client.get('/api/v1/menu');
  if (answer.status !== 200) throw new Error(`GET /api/v1/menu answered ${answer.status}`);
  return MenuResponse.parse(JSON.parse(answer.body)).items;
}

export function stockConserved(
  before: readonly MenuItem[],
  after: readonly MenuItem[],
  orders: readonly AcceptedOrder[],
): Invariant {
  const taken = new Map<string, number>();
  for (const order of orders)
    for (const [id, q] of Object.entries(order.quantities)) taken.set(id, (taken.get(id) ?? 0) + q);
  const wrong = before.flatMap((item) => {
    const final = after.find((i) => i.id === item.id)?.stock ?? Number.NaN;
    const expected = taken.get(item.id) ?? 0;
    return item.stock - final === expected ? [] : [`${item.id}: ${item.stock} − ${final} ≠ ${expected}`];
  });
  const total = [...taken.values()].reduce((a, b) => a + b, 0);
  return {
    name: 'stock conserved (initial − final = accepted quantities)',
    ok: wrong.length === 0,
    detail: wrong.length === 0 ? `${total} units over ${before.length} items` : wrong.slice(0, 5).join('; '),
  };
}

/**
 * Trackers say delivered; any order whose tracker did not is asked over HTTP until it is delivered or the
 * deadline passes, so a lost push and a lost order are told apart.
 */
export async function everyOrderDelivered(
  client: HttpClient,
  orders: readonly AcceptedOrder[],
  timeoutMs: number,
): Promise<Invariant> {
  const deadline = performance.now() + timeoutMs;
  let left = orders.filter((o) => !o.trackedToDelivered);
  let stuck: string[] = [];
  for (;;) {
    stuck = [];
    const next: AcceptedOrder[] = [];
    for (const order of left) {
      const answer = await client.get(
        `/api/v1/orders/${order.id}?token=${encodeURIComponent(order.tracking_token)}`,
      );
      const status =
        answer.status === 200 ? OrderView.parse(JSON.parse(answer.body)).status : `HTTP ${answer.status}`;
      if (status === ORDER_LIFECYCLE.happyPath.at(-1)) continue;
      stuck.push(`${order.id}: ${status}`);
      next.push(order);
    }
    left = next;
    if (left.length === 0 || performance.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    name: 'every accepted order reached delivered',
    ok: stuck.length === 0,
    detail:
      stuck.length === 0
        ? `${orders.length} of ${orders.length}`
        : `${stuck.length} not delivered, e.g. ${stuck.slice(0, 3).join('; ')}`,
  };
}

export function pushesContiguous(phases: readonly PhaseResult[]): Invariant {
  const total = phases.reduce((a, p) => a + p.trackers.total, 0);
  const bad = phases.reduce((a, p) => a + p.trackers.badJourneys, 0);
  const examples = phases.flatMap((p) => p.trackers.examples).slice(0, 3);
  return {
    name: 'no duplicate or missing push (contiguous slice ending at delivered/delivered)',
    ok: bad === 0,
    detail: bad === 0 ? `${total} trackers` : `${bad} of ${total} trackers, e.g. ${examples.join('; ')}`,
  };
}
