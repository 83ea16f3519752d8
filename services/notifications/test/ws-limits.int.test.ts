import WebSocket from 'ws';
import {
  traceProtocols,
  trackingProtocols,
  WS_CLOSE_NOT_FOUND,
  WS_CLOSE_TOO_MANY_CONNECTIONS,
  WS_CLOSE_TRY_AGAIN_LATER,
  WS_STOCK_PATH,
  WS_SYSTEM_PATH,
  WS_TRACE_PATH,
  WS_TRACKING_PROTOCOL,
} from '@pizza/shared/contract';
import { metricValue } from '@pizza/shared/testing';
import { orderEvents, publish, upgradeEnding, useGatewayHarness, Watcher } from './helpers';

jest.setTimeout(30_000);
const h = useGatewayHarness();

/** A tracker with its token as a subprotocol, as the browser opens it; `client` is its X-Forwarded-For. */
function track(port: number, orderId: string, token: string, client = '203.0.113.1'): Watcher {
  const ws = new WebSocket(
    `ws://127.0.0.1:${port}/ws/v1/order-tracking/${orderId}`,
    trackingProtocols(token),
    {
      headers: { 'x-forwarded-for': client },
    },
  );
  h.track(ws);
  return new Watcher(ws);
}

describe('the token as a subprotocol', () => {
  test('a right token gets the order, and the answer selects the tracking protocol, never the token', async () => {
    const { port } = await h.gateway();
    const o = orderEvents();
    await publish(h.redis, o.created());
    const watcher = track(port, o.orderId, o.token);
    expect(await watcher.waitForSequence(1)).toEqual(['created/null']);
    expect(watcher.ws.protocol).toBe(WS_TRACKING_PROTOCOL);
  });

  test('a wrong token is refused with 4404', async () => {
    const { port } = await h.gateway({ WS_UNKNOWN_ORDER_GRACE_MS: '0' });
    const o = orderEvents();
    await publish(h.redis, o.created());
    expect(await track(port, o.orderId, 'not-the-token').closed).toBe(WS_CLOSE_NOT_FOUND);
  });
});

describe('connection caps', () => {
  test('one address gets WS_MAX_CONNECTIONS_PER_CLIENT; the next is closed with 4429, others still get in', async () => {
    const { port } = await h.gateway({ WS_MAX_CONNECTIONS_PER_CLIENT: '3', WS_MAX_CONNECTIONS: '100' });
    const o = orderEvents();
    await publish(h.redis, o.created());
    const refusals = () =>
      metricValue(`http://127.0.0.1:${port}`, 'ws_connections_refused_total', { reason: 'per_client' });
    const before = await refusals();
    const mine = Array.from({ length: 3 }, () => track(port, o.orderId, o.token));
    await Promise.all(mine.map((w) => w.waitForSequence(1)));
    const refused = track(port, o.orderId, o.token);
    expect(await refused.closed).toBe(WS_CLOSE_TOO_MANY_CONNECTIONS);
    expect(await track(port, o.orderId, o.token, '203.0.113.2').waitForSequence(1)).toEqual(['created/null']);
    // A closed connection gives its slot back.
    mine[0]!.ws.close();
    await mine[0]!.closed;
    expect(await track(port, o.orderId, o.token).waitForSequence(1)).toEqual(['created/null']);
    expect(await refusals()).toBe(before + 1);
  });

  test('past WS_MAX_CONNECTIONS in all, the next is closed with 1013 (try again later)', async () => {
    const { port } = await h.gateway({ WS_MAX_CONNECTIONS_PER_CLIENT: '100', WS_MAX_CONNECTIONS: '4' });
    const o = orderEvents();
    await publish(h.redis, o.created());
    const open = ['a', 'b', 'c', 'd'].map((_, i) => track(port, o.orderId, o.token, `198.51.100.${i + 1}`));
    await Promise.all(open.map((w) => w.waitForSequence(1)));
    expect(await track(port, o.orderId, o.token, '198.51.100.9').closed).toBe(WS_CLOSE_TRY_AGAIN_LATER);
  });

  test('the system view, stock and trace channels count against the same caps as tracking', async () => {
    const { port } = await h.gateway({ WS_MAX_CONNECTIONS_PER_CLIENT: '2', WS_MAX_CONNECTIONS: '100' });
    const o = orderEvents();
    await publish(h.redis, o.created());
    /** A socket on a public channel (its messages are not tracking ones): opened, and its close code. */
    const from = (path: string, client: string) => {
      const ws = h.track(
        new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers: { 'x-forwarded-for': client } }),
      );
      return {
        ws,
        opened: new Promise<void>((resolve) => ws.once('open', () => resolve())),
        closed: new Promise<number>((resolve) => ws.once('close', (code) => resolve(code))),
      };
    };
    // Public channels alone: an address cannot hold more than its share of sockets.
    const held = [from(WS_SYSTEM_PATH, '203.0.113.7'), from(WS_STOCK_PATH, '203.0.113.7')];
    await Promise.all(held.map((w) => w.opened));
    expect(await from(WS_STOCK_PATH, '203.0.113.7').closed).toBe(WS_CLOSE_TOO_MANY_CONNECTIONS);
    expect(await from(WS_SYSTEM_PATH, '203.0.113.7').closed).toBe(WS_CLOSE_TOO_MANY_CONNECTIONS);
    // And they use up the same count a tracker of that address draws on.
    expect(await track(port, o.orderId, o.token, '203.0.113.7').closed).toBe(WS_CLOSE_TOO_MANY_CONNECTIONS);
    held[0]!.ws.close();
    await held[0]!.closed;
    expect(await track(port, o.orderId, o.token, '203.0.113.7').waitForSequence(1)).toEqual(['created/null']);
  });
});

const ending = (ws: WebSocket) => upgradeEnding(h.track(ws));
const headers = (client: string) => ({ headers: { 'x-forwarded-for': client } });
const tracking = (port: number, orderId: string, token: string, client: string) =>
  new WebSocket(
    `ws://127.0.0.1:${port}/ws/v1/order-tracking/${orderId}`,
    trackingProtocols(token),
    headers(client),
  );
const trace = (port: number, orderId: string, token: string, client: string) =>
  new WebSocket(`ws://127.0.0.1:${port}${WS_TRACE_PATH}${orderId}`, traceProtocols(token), headers(client));

describe('wrong tokens, counted in Redis with those of the order API (RATE_LIMIT_TOKEN_FAILURES)', () => {
  const env = { RATE_LIMIT_TOKEN_FAILURES: '3', WS_UNKNOWN_ORDER_GRACE_MS: '0' };
  const client = '203.0.113.50';

  test('failures on both token channels and both replicas add up; then even a right token is refused with 429 before the upgrade', async () => {
    const [a, b] = [(await h.gateway(env)).port, (await h.gateway(env)).port];
    const o = orderEvents();
    await publish(h.redis, o.created());
    const limited = () =>
      metricValue(`http://127.0.0.1:${a}`, 'http_requests_limited_total', { limit: 'token-failures' });
    const before = await limited();
    // Right tokens never count, however many.
    for (let i = 0; i < 5; i++) {
      const watcher = new Watcher(h.track(tracking(i % 2 ? a : b, o.orderId, o.token, client)));
      expect(await watcher.waitForSequence(1)).toEqual(['created/null']);
      watcher.ws.close();
      await watcher.closed;
    }
    expect(await ending(tracking(a, o.orderId, 'wrong-1', client))).toEqual({ code: WS_CLOSE_NOT_FOUND });
    expect(await ending(trace(b, o.orderId, 'wrong-2', client))).toEqual({ code: WS_CLOSE_NOT_FOUND });
    // An order nobody knows is a failed check too, as a 404 is over HTTP.
    expect(await ending(tracking(b, 'o-made-up', 'wrong-3', client))).toEqual({ code: WS_CLOSE_NOT_FOUND });

    for (const [port, open] of [
      [a, tracking],
      [b, tracking],
      [a, trace],
    ] as const) {
      const refused = await ending(open(port, o.orderId, o.token, client));
      expect(refused).toEqual({ status: 429, retryAfter: expect.any(Number) });
      expect((refused as { retryAfter: number }).retryAfter).toBeGreaterThan(0);
      expect((refused as { retryAfter: number }).retryAfter).toBeLessThanOrEqual(60);
    }
    // Another address is not held back by this one.
    const other = new Watcher(h.track(tracking(b, o.orderId, o.token, '203.0.113.51')));
    expect(await other.waitForSequence(1)).toEqual(['created/null']);
    // Both replicas run in this test's process, so they share one metrics registry.
    expect(await limited()).toBe(before + 3);
    // The count is the order API's: the same key its limiter keeps (rate-limit-redis, prefix and address).
    expect(await h.redis.get(`rate-limit:token-failures:${client}`)).toBe('3');
  });

  test('a socket refused by a connection cap, or one that leaves before its check, is not a failed check', async () => {
    const { port } = await h.gateway({
      ...env,
      WS_MAX_CONNECTIONS_PER_CLIENT: '1',
      WS_UNKNOWN_ORDER_GRACE_MS: '60000',
    });
    const o = orderEvents();
    // Waits for an order that is not known yet: its check is still open.
    const waiting = new Watcher(h.track(tracking(port, o.orderId, o.token, client)));
    await waiting.opened;
    for (let i = 0; i < 4; i++)
      expect(await ending(tracking(port, o.orderId, 'wrong', client))).toEqual({
        code: WS_CLOSE_TOO_MANY_CONNECTIONS,
      });
    waiting.ws.close();
    await waiting.closed;
    await publish(h.redis, o.created());
    expect(await new Watcher(h.track(tracking(port, o.orderId, o.token, client))).waitForSequence(1)).toEqual(
      ['created/null'],
    );
    expect(Number(await h.redis.get(`rate-limit:token-failures:${client}`))).toBe(0);
  });
});
