import WebSocket from 'ws';
import {
  CreatedOrder,
  MenuResponse,
  traceProtocols,
  trackingProtocols,
  WS_CLOSE_NOT_FOUND,
  WS_TRACE_PATH,
} from '@pizza/shared/contract';
import { upgradeEnding } from '@pizza/notifications/test/helpers';
import { cleanUpLaunches, launchStack, type LaunchedStack } from './launcher';

/**
 * Wrong tracking tokens have one budget per client, whichever way they are tried: the order API's 404s and the
 * gateway's refused sockets (tracking and trace channels, on either of two gateway replicas) are counted
 * together in Redis, and past RATE_LIMIT_TOKEN_FAILURES both refuse with 429, even the right token.
 */
let stack: LaunchedStack;

beforeAll(async () => {
  stack = await launchStack({
    env: { RATE_LIMIT_TOKEN_FAILURES: '4', SIMULATOR_MIN_DELAY_MS: '20000', SIMULATOR_MAX_DELAY_MS: '30000' },
    args: ['--scale', 'notifications=2'],
  });
}, 240_000);

afterAll(async () => {
  await stack?.handle.stop(15_000);
  await cleanUpLaunches();
});

const ending = (url: string, protocols: string[]) => upgradeEnding(new WebSocket(url, protocols));

test('HTTP and WebSocket wrong tokens share one budget; past it both answer 429 with Retry-After', async () => {
  const menu = MenuResponse.parse(await (await fetch(`${stack.url}/api/v1/menu`)).json());
  const itemId = menu.items.find((i) => i.stock > 0)!.id;
  const placed = await fetch(`${stack.url}/api/v1/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      items: [{ item_id: itemId, quantity: 1 }],
      customer: { name: 'Ada', address: '1 Limit Lane' },
    }),
  });
  expect(placed.status).toBe(201);
  const order = CreatedOrder.parse(await placed.json());
  const read = (token: string) =>
    fetch(`${stack.url}/api/v1/orders/${order.id}`, { headers: { authorization: `Bearer ${token}` } });
  const ws = stack.url.replace('http', 'ws');
  const tracking = (token: string) =>
    ending(`${ws}/ws/v1/order-tracking/${order.id}`, trackingProtocols(token));
  const trace = (token: string) => ending(`${ws}${WS_TRACE_PATH}${order.id}`, traceProtocols(token));

  expect((await read(order.tracking_token)).status).toBe(200);
  expect((await read('wrong-1')).status).toBe(404);
  expect(await tracking('wrong-2')).toEqual({ code: WS_CLOSE_NOT_FOUND });
  expect(await trace('wrong-3')).toEqual({ code: WS_CLOSE_NOT_FOUND });
  expect(await tracking('wrong-4')).toEqual({ code: WS_CLOSE_NOT_FOUND });

  // Four failures, two ways: the API counts the gateway's, and the gateway the API's.
  const api = await read(order.tracking_token);
  expect(api.status).toBe(429);
  expect(Number(api.headers.get('retry-after'))).toBeGreaterThan(0);
  for (const refused of [
    await tracking(order.tracking_token),
    await tracking(order.tracking_token),
    await trace(order.tracking_token),
  ]) {
    expect(refused).toMatchObject({ status: 429 });
    expect((refused as { retryAfter: number }).retryAfter).toBeGreaterThan(0);
  }
});
