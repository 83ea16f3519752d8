import { connect } from 'node:net';
import type { RunningService } from '@pizza/shared';
import {
  metricValue,
  rawExchange,
  SLOW_BODY_REQUEST,
  trickleUntilCutOff,
  waitFor,
} from '@pizza/shared/testing';
import { start } from '../src/main';
import { call, customer, type ErrorReply, type OrderBody } from './support/http';
import { addItems, ADMIN_TOKEN, menuItem, serviceEnv, stockOf, useStack } from './support/stack';

/**
 * The limits on real sockets: rate limits counted in Redis (shared by two replicas), the server's header
 * timeout and connection cap, and a too-large declared body refused before it is sent.
 */
jest.setTimeout(30_000);
const stack = useStack();
const PIZZA = 'limits-pizza';
const running: RunningService[] = [];

beforeAll(async () => {
  await addItems(stack.db, menuItem(PIZZA, 100));
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
  // Each test counts from zero.
  for (const key of await stack.redis.keys('rate-limit:*')) await stack.redis.del(key);
});

async function replica(env: Record<string, string>): Promise<string> {
  const service = await start({ ...serviceEnv(stack), ...env });
  running.push(service);
  return `http://127.0.0.1:${service.port}`;
}

/** Another client behind the (trusted, loopback) proxy that is this test. */
const from = (address: string) => ({ 'x-forwarded-for': address });
const place = (url: string, headers: Record<string, string> = {}) =>
  call<OrderBody & ErrorReply>(url, 'POST', '/api/v1/orders', {
    json: { items: [{ item_id: PIZZA, quantity: 1 }], customer },
    headers,
  });

function expectLimited(res: { status: number; headers: Headers; body: unknown }) {
  expect(res.status).toBe(429);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(res.body).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
}

describe('rate limits, per client, across replicas', () => {
  test('order placement: over the limit is 429 with Retry-After, whichever replica is asked, and takes no stock', async () => {
    const env = { RATE_LIMIT_ORDERS: '3', RATE_LIMIT_WINDOW_MS: '60000' };
    const [a, b] = [await replica(env), await replica(env)];
    const limited = () => metricValue(a, 'http_requests_limited_total', { limit: 'orders' });
    const before = await limited();
    expect((await place(a)).status).toBe(201);
    expect((await place(b)).status).toBe(201);
    expect((await place(a)).status).toBe(201);
    const stock = await stockOf(stack.db, PIZZA);
    expectLimited(await place(b));
    expectLimited(await place(a));
    expect(await stockOf(stack.db, PIZZA)).toBe(stock);
    // Another client is not held back by this one.
    expect((await place(b, from('203.0.113.7'))).status).toBe(201);
    // Both replicas run in this test's process, so they share one metrics registry: two refusals.
    expect(await limited()).toBe(before + 2);
  });

  test('wrong tracking tokens: only the failures count, in the header or the query, and then even a right token waits', async () => {
    const url = await replica({ RATE_LIMIT_TOKEN_FAILURES: '3' });
    const order = (await place(url)).body;
    const read = (token: string, headers: Record<string, string> = {}) =>
      call<ErrorReply>(url, 'GET', `/api/v1/orders/${order.id}`, {
        headers: { authorization: `Bearer ${token}`, ...headers },
      });
    for (let i = 0; i < 5; i++) expect((await read(order.tracking_token)).status).toBe(200);
    expect((await read('wrong-1')).status).toBe(404);
    expect((await call(url, 'GET', `/api/v1/orders/${order.id}?token=wrong-2`)).status).toBe(404);
    expect((await call(url, 'POST', `/api/v1/orders/${order.id}/cancel?token=wrong-3`)).status).toBe(404);
    expectLimited(await read('wrong-4'));
    expectLimited(await read(order.tracking_token));
    expect((await read(order.tracking_token, from('203.0.113.8'))).status).toBe(200);
  });

  test('wrong admin tokens: 401s count, then 429', async () => {
    const url = await replica({ RATE_LIMIT_ADMIN_FAILURES: '2' });
    const admin = (token: string) =>
      call(url, 'GET', '/api/v1/admin/dead-letters', { headers: { authorization: `Bearer ${token}` } });
    expect((await admin(ADMIN_TOKEN)).status).toBe(200);
    expect((await admin('guess-number-one')).status).toBe(401);
    expect((await admin('guess-number-two')).status).toBe(401);
    expectLimited(await admin('guess-number-three'));
  });

  test('a demo load with the admin token is not held back by the per-client order limit; a wrong token is', async () => {
    const url = await replica({ RATE_LIMIT_ORDERS: '3', RATE_LIMIT_WINDOW_MS: '60000' });
    const orders = () => stack.db.collection('orders').countDocuments();
    const before = await orders();
    const started = await call(url, 'POST', '/api/v1/admin/demo-load', {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      json: { count: 8, per_second: 50 },
    });
    expect(started.status).toBe(202);
    await waitFor(async () => (await orders()) === before + 8, { what: 'all eight demo orders placed' });
    // Nothing of it counted against the client: it still has its own three.
    for (let i = 0; i < 3; i++) expect((await place(url)).status).toBe(201);
    // A wrong admin token buys nothing: it is an ordinary client.
    expectLimited(await place(url, { authorization: 'Bearer not-the-admin-token-at-all' }));
  });

  test('with TRUST_PROXY=false, X-Forwarded-For does not make a new client', async () => {
    const url = await replica({ RATE_LIMIT_ORDERS: '1', TRUST_PROXY: 'false' });
    expect((await place(url, from('203.0.113.9'))).status).toBe(201);
    expectLimited(await place(url, from('203.0.113.10')));
  });
});

describe('server bounds', () => {
  test('a client that never finishes its headers is cut off after HTTP_HEADERS_TIMEOUT_MS', async () => {
    const url = await replica({ HTTP_HEADERS_TIMEOUT_MS: '400' });
    const { answer, closedAfterMs } = await rawExchange(Number(new URL(url).port), [
      'GET /api/v1/menu HTTP/1.1\r\nHost: x\r\nX-Slow: ',
    ]);
    expect(closedAfterMs).toBeDefined();
    expect(closedAfterMs!).toBeLessThan(3_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  test('a client that sends its body slowly is cut off after HTTP_REQUEST_TIMEOUT_MS, however steadily it trickles', async () => {
    const url = await replica({ HTTP_REQUEST_TIMEOUT_MS: '600' });
    expect(await trickleUntilCutOff(Number(new URL(url).port), SLOW_BODY_REQUEST, 600)).toMatchObject({
      status: 408,
      cutOff: 'in time',
    });
  });

  test('a body declared over HTTP_MAX_BODY_BYTES gets 413 at once, without being sent, and the connection closes', async () => {
    const url = await replica({});
    const { answer, closedAfterMs } = await rawExchange(Number(new URL(url).port), [
      'POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n',
    ]);
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(answer).toContain('"code":"payload_too_large"');
    expect(closedAfterMs).toBeDefined();
    expect(closedAfterMs!).toBeLessThan(3_000);
  });

  test('connections past HTTP_MAX_CONNECTIONS are closed as they arrive', async () => {
    const url = await replica({ HTTP_MAX_CONNECTIONS: '3' });
    const port = Number(new URL(url).port);
    const held = Array.from({ length: 3 }, () => connect({ host: '127.0.0.1', port }));
    try {
      await Promise.all(held.map((s) => new Promise((resolve) => s.once('connect', resolve))));
      const extra = await rawExchange(port, ['GET /api/v1/health/live HTTP/1.1\r\nHost: x\r\n\r\n']);
      expect(extra.answer).toBe('');
      expect(extra.closedAfterMs).toBeDefined();
    } finally {
      held.forEach((s) => s.destroy());
    }
    // Freed slots are taken again. A connection made before the server saw the others close is dropped, and
    // fetch may then wait on it for good: each attempt has its own deadline.
    await waitFor(
      async () =>
        (await fetch(`${url}/api/v1/health/live`, { signal: AbortSignal.timeout(1_000) })).status === 200,
      { what: 'a connection to be taken once the others closed' },
    );
  });
});
