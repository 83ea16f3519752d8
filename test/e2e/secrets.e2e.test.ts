import WebSocket from 'ws';
import {
  CreatedOrder,
  MenuResponse,
  traceProtocols,
  trackingProtocols,
  TrackingMessage,
  WS_TRACE_PATH,
} from '@pizza/shared/contract';
import { waitFor } from '@pizza/shared/testing';
import { cleanUpLaunches, launchStack, type LaunchedStack } from './launcher';

/**
 * No tracking token in any log: the stack runs at LOG_LEVEL=debug (every request and upgrade logged, by
 * services and gateway alike), tokens are used every way a client can (header, subprotocol, and the
 * ?token= of old links, right and wrong), and then every line any process printed is searched for them.
 */
let stack: LaunchedStack;

beforeAll(async () => {
  // Slow simulated steps: the orders stay cancellable while the test uses their tokens.
  stack = await launchStack({
    env: { LOG_LEVEL: 'debug', SIMULATOR_MIN_DELAY_MS: '20000', SIMULATOR_MAX_DELAY_MS: '30000' },
  });
}, 240_000);

afterAll(async () => {
  await stack?.handle.stop(15_000);
  await cleanUpLaunches();
});

async function place(itemId: string): Promise<CreatedOrder> {
  const res = await fetch(`${stack.url}/api/v1/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      items: [{ item_id: itemId, quantity: 1 }],
      customer: { name: 'Ada', address: '1 Log Lane' },
    }),
  });
  expect(res.status).toBe(201);
  return CreatedOrder.parse(await res.json());
}

/** Opens a socket and resolves with its first message (the cached state or trace, or the 4404 error). */
function firstMessage(url: string, protocols?: string[]): Promise<{ type: string }> {
  const ws = new WebSocket(url, protocols);
  return new Promise<{ type: string }>((resolve, reject) => {
    ws.once('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string };
      resolve(message.type === 'trace' ? message : TrackingMessage.parse(message));
    });
    ws.once('error', reject);
  }).finally(() => ws.close());
}

test('tokens used in headers, subprotocols (tracking and trace) and old ?token= links never reach a log line', async () => {
  const menu = MenuResponse.parse(await (await fetch(`${stack.url}/api/v1/menu`)).json());
  const itemId = menu.items.find((i) => i.stock > 2)!.id;
  const [a, b] = [await place(itemId), await place(itemId)];
  const wrong = 'wrongTokenZ9q8X7w6V5u4';
  const base = `${stack.url}/api/v1/orders`;
  const ws = `${stack.url.replace('http', 'ws')}/ws/v1/order-tracking`;

  expect(
    (await fetch(`${base}/${a.id}`, { headers: { authorization: `Bearer ${a.tracking_token}` } })).status,
  ).toBe(200);
  expect((await fetch(`${base}/${a.id}?token=${a.tracking_token}`)).status).toBe(200);
  expect((await fetch(`${base}/${a.id}?token=${wrong}`)).status).toBe(404);
  expect((await fetch(`${base}/${a.id}`, { headers: { authorization: `Bearer ${wrong}` } })).status).toBe(
    404,
  );
  expect((await fetch(`${base}/${b.id}/cancel?token=${b.tracking_token}`, { method: 'POST' })).status).toBe(
    200,
  );
  expect(await firstMessage(`${ws}/${a.id}`, trackingProtocols(a.tracking_token))).toMatchObject({
    type: 'status',
  });
  expect(await firstMessage(`${ws}/${a.id}?token=${a.tracking_token}`)).toMatchObject({ type: 'status' });
  expect(await firstMessage(`${ws}/${a.id}?token=${wrong}`)).toMatchObject({ type: 'error' });
  // The order's trace, the token offered as a subprotocol, right and wrong.
  const trace = `${stack.url.replace('http', 'ws')}${WS_TRACE_PATH}${a.id}`;
  expect(await firstMessage(trace, traceProtocols(a.tracking_token))).toMatchObject({ type: 'trace' });
  expect(await firstMessage(trace, traceProtocols(wrong))).toMatchObject({ type: 'error' });
  // The SPA's own tracking link, as a browser opens it.
  expect((await fetch(`${stack.url}/orders/${a.id}?token=${a.tracking_token}`)).status).toBe(200);

  // The requests were logged, by path, by the order service, the gateway and the notifications service…
  const logged = (process: string, path: string) =>
    stack.lines.some((line) => line.includes(`"process":"${process}"`) && line.includes(path));
  await waitFor(
    () =>
      logged('orders', `"path":"/api/v1/orders/${b.id}/cancel"`) &&
      logged('gateway', `"path":"/orders/${a.id}"`) &&
      logged('gateway', `"path":"/ws/v1/order-tracking/${a.id}"`) &&
      logged('notifications', `"path":"/ws/v1/order-tracking/${a.id}"`) &&
      logged('gateway', `"path":"${WS_TRACE_PATH}${a.id}"`),
    { timeoutMs: 10_000, what: 'the debug lines of those requests' },
  );
  // …and not one line, of any process, holds a token.
  await stack.handle.stop(15_000);
  const leaks = stack.lines.filter((line) =>
    [a.tracking_token, b.tracking_token, wrong].some((t) => line.includes(t)),
  );
  expect(leaks).toEqual([]);
}, 120_000);
