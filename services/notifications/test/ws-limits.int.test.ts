import WebSocket from 'ws';
import {
  trackingProtocols,
  WS_CLOSE_NOT_FOUND,
  WS_CLOSE_TOO_MANY_CONNECTIONS,
  WS_CLOSE_TRY_AGAIN_LATER,
  WS_STOCK_PATH,
  WS_SYSTEM_PATH,
  WS_TRACKING_PROTOCOL,
} from '@pizza/shared/contract';
import { metricValue } from '@pizza/shared/testing';
import { orderEvents, publish, useGatewayHarness, Watcher } from './helpers';

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
