import { CreatedOrder, MenuResponse, type DemoLoadRequest } from './contract';

export interface DemoLoadResult {
  sent: number;
  accepted: number;
  /** Refused (out of stock, rate-limited, …): the answer's status, counted. */
  refused: Record<string, number>;
}

export interface DemoLoadOptions {
  /**
   * Sent as `Authorization: Bearer`: the order service then holds these orders to the demo's own bound rather
   * than one client's order limit (RATE_LIMIT_ORDERS), which a demo load passes within a second.
   */
  adminToken?: string;
  signal?: AbortSignal;
}

/**
 * Sends `count` demo orders through the public HTTP API at `per_second`, one in-stock pizza each, with
 * nothing personal in them. Orders go out on a fixed schedule, each request not waiting for the previous.
 * Backs both `npm run demo:load` and the admin control of the system page.
 */
export async function runDemoLoad(
  baseUrl: string,
  { count, per_second }: DemoLoadRequest,
  options: DemoLoadOptions = {},
): Promise<DemoLoadResult> {
  const { adminToken, signal } = options;
  const menu = MenuResponse.parse(await (await fetch(new URL('/api/v1/menu', baseUrl), { signal })).json());
  const items = menu.items.filter((item) => item.stock > 0);
  if (items.length === 0) throw new Error('nothing in stock to order');
  const result: DemoLoadResult = { sent: 0, accepted: 0, refused: {} };
  const started = Date.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < count && !signal?.aborted; i++) {
    const due = started + (i * 1000) / per_second;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    const item = items[i % items.length]!;
    result.sent++;
    inFlight.push(
      fetch(new URL('/api/v1/orders', baseUrl), {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(adminToken && { Authorization: `Bearer ${adminToken}` }),
        },
        body: JSON.stringify({
          items: [{ item_id: item.id, quantity: 1 }],
          customer: { name: 'Demo', address: 'Demo lane 1' },
        }),
        signal,
      }).then(
        async (response) => {
          if (response.status === 201) {
            CreatedOrder.parse(await response.json());
            result.accepted++;
          } else {
            await response.body?.cancel();
            result.refused[response.status] = (result.refused[response.status] ?? 0) + 1;
          }
        },
        () => {
          result.refused.network = (result.refused.network ?? 0) + 1;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  return result;
}
