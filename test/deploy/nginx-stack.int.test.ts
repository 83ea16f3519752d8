/**
 * The repository's nginx config in front of the running system (startStack from @pizza/stack): the built
 * frontend at /, the order service at /api, and order tracking and live stock over /ws WebSocket upgrades,
 * end to end.
 */
import path from 'node:path';
import { startStack, type Stack } from '@pizza/stack';
import {
  CreatedOrder,
  MenuResponse,
  StockMessage,
  TrackingMessage,
  WS_CLOSE_NOT_FOUND,
  WS_STOCK_PATH,
  WS_TRACKING_PATH,
} from '@pizza/shared/contract';
import WebSocket from 'ws';
import {
  dropExternalDbs,
  SLOW_BODY_REQUEST,
  trickleUntilCutOff,
  uniqueDbName,
  waitFor,
} from '@pizza/shared/testing';
import { APP_METRICS, DEFAULT_METRICS, REPO_ROOT } from './lib/catalogue';
import { copyForNginx, hostPort, nginxAvailable, startNginx, type RunningNginx } from './lib/nginx';

jest.setTimeout(120_000);

const describeWithNginx = nginxAvailable() ? describe : describe.skip;
let stack: Stack;
let nginx: RunningNginx;
let staticCopy: { root: string; remove(): Promise<void> } | undefined;
/** Its own database, so a shared MongoDB (MONGO_URL) keeps no data of this run. */
const MONGO_DB = uniqueDbName('nginx');

function upstream(name: 'orders' | 'notifications'): string {
  const service = stack.services.find((s) => s.name === name);
  if (!service) throw new Error(`the stack runs no ${name}`);
  return hostPort(service.url);
}

beforeAll(async () => {
  if (!nginxAvailable()) return;
  stack = await startStack({
    port: 0,
    // Fast simulated transitions. A tracker opened right after the order was placed may come before the
    // gateway has heard of the order (order.created goes through the outbox and a stream, slower on a loaded
    // machine): the grace period is what it waits for it, so it is as long as the test's own deadline.
    env: {
      MONGO_DB,
      SIMULATOR_MIN_DELAY_MS: '0',
      SIMULATOR_MAX_DELAY_MS: '20',
      WS_UNKNOWN_ORDER_GRACE_MS: '60000',
      LOG_LEVEL: 'warn',
      // short, for the slow-body test; every other request here is done in milliseconds
      HTTP_REQUEST_TIMEOUT_MS: '2000',
    },
  });
  staticCopy = await copyForNginx(path.join(REPO_ROOT, 'frontend/dist'));
  nginx = await startNginx({
    upstreams: { orders: upstream('orders'), notifications: upstream('notifications') },
    staticRoot: staticCopy.root,
  });
});

afterAll(async () => {
  await nginx?.stop();
  await staticCopy?.remove();
  await stack?.stop();
  await dropExternalDbs(MONGO_DB);
});

/** Collects a socket's messages; resolves `closed` with the close code. */
function track(url: string): { socket: WebSocket; messages: TrackingMessage[]; closed: Promise<number> } {
  const socket = new WebSocket(url);
  const messages: TrackingMessage[] = [];
  socket.on('message', (data: WebSocket.RawData) =>
    messages.push(TrackingMessage.parse(JSON.parse(data.toString()))),
  );
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  return { socket, messages, closed };
}

/** Places an order of one pizza in stock through nginx. */
async function placeOrder(): Promise<CreatedOrder> {
  const menu = MenuResponse.parse(await (await fetch(`${nginx.url}/api/v1/menu`)).json());
  const item = menu.items.find((i) => i.stock > 0);
  expect(item).toBeDefined();
  const created = await fetch(`${nginx.url}/api/v1/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      items: [{ item_id: item?.id, quantity: 1 }],
      customer: { name: 'Ada', address: '1 Proxy Lane' },
    }),
  });
  expect(created.status).toBe(201);
  return CreatedOrder.parse(await created.json());
}

describeWithNginx('nginx in front of the running stack', () => {
  it('serves the built frontend at / and for client-side routes', async () => {
    for (const route of ['/', '/orders/some-id']) {
      const response = await fetch(`${nginx.url}${route}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<div id="root">');
    }
  });

  it('orders through /api and follows the order over a /ws upgrade until it is delivered', async () => {
    const order = await placeOrder();
    const wsBase = nginx.url.replace(/^http/, 'ws');
    const tracking = track(`${wsBase}${WS_TRACKING_PATH}${order.id}?token=${order.tracking_token}`);
    try {
      await waitFor(() => tracking.messages.some((m) => m.type === 'status' && m.status === 'delivered'), {
        timeoutMs: 60_000,
        what: 'the order to be delivered, as seen through nginx',
      }).catch((error: unknown) => {
        const seen = tracking.messages.map((m) => (m.type === 'status' ? m.status : m.code)).join(', ');
        throw new Error(
          `${error instanceof Error ? error.message : String(error)} (received: ${seen || 'nothing'})`,
        );
      });
      expect(tracking.messages[0]).toMatchObject({ type: 'status', order_id: order.id });
    } finally {
      tracking.socket.close();
      await tracking.closed;
    }
  });

  it('keeps the token of an old ?token= link out of its access and error logs, which log the requests by path', async () => {
    const order = await placeOrder();
    const query = `?token=${encodeURIComponent(order.tracking_token)}`;
    const read = await fetch(`${nginx.url}/api/v1/orders/${order.id}${query}`);
    expect(read.status).toBe(200);
    await read.text();
    expect((await fetch(`${nginx.url}/orders/${order.id}${query}`)).status).toBe(200);
    const tracking = track(`${nginx.url.replace(/^http/, 'ws')}${WS_TRACKING_PATH}${order.id}${query}`);
    try {
      await waitFor(() => tracking.messages.length > 0, {
        timeoutMs: 60_000,
        what: 'the first tracking message',
      });
      expect(tracking.messages[0]).toMatchObject({ type: 'status', order_id: order.id });
    } finally {
      tracking.socket.close();
      await tracking.closed;
    }
    const paths = await waitFor(
      async () => {
        const logged = (await nginx.accessLog())
          .split('\n')
          .filter((line) => line.includes(order.id))
          .map((line) => (JSON.parse(line) as { path: string }).path);
        return logged.length >= 3 ? logged : undefined;
      },
      { what: "the access log lines of the order's three requests" },
    );
    expect(paths.sort()).toEqual(
      [`/api/v1/orders/${order.id}`, `/orders/${order.id}`, `${WS_TRACKING_PATH}${order.id}`].sort(),
    );
    expect(await nginx.accessLog()).not.toContain(order.tracking_token);
    expect(nginx.output()).not.toContain(order.tracking_token); // the error log (stderr)
  });

  it("cuts off a client that trickles its body within the order service's HTTP_REQUEST_TIMEOUT_MS, behind nginx too", async () => {
    // nginx's own body timeout only bounds the gap between two reads: the order service bounds the whole.
    expect(await trickleUntilCutOff(nginx.port, SLOW_BODY_REQUEST, 2_000)).toMatchObject({
      status: 408,
      cutOff: 'in time',
    });
  });

  it('upgrades the live stock channel of the menu through nginx and pushes the levels', async () => {
    const socket = new WebSocket(`${nginx.url.replace(/^http/, 'ws')}${WS_STOCK_PATH}`);
    try {
      const first = await new Promise<StockMessage>((resolve, reject) => {
        socket.once('message', (data: WebSocket.RawData) =>
          resolve(StockMessage.parse(JSON.parse(data.toString()))),
        );
        socket.once('error', reject);
      });
      expect(first.type).toBe('stock');
    } finally {
      socket.close();
    }
  });

  it('passes the gateway close code for a bad token back through nginx', async () => {
    // A real order, so the gateway refuses the token as soon as it knows the order, not after the grace period.
    const order = await placeOrder();
    const wsBase = nginx.url.replace(/^http/, 'ws');
    const tracking = track(`${wsBase}${WS_TRACKING_PATH}${order.id}?token=wrong`);
    expect(await tracking.closed).toBe(WS_CLOSE_NOT_FOUND);
    expect(tracking.messages[0]).toMatchObject({ type: 'error' });
  });
});

describeWithNginx('the metrics the dashboards query', () => {
  it('are all exported by the running services, with the types the dashboards assume', async () => {
    const exported = new Map<string, string>();
    for (const service of stack.services) {
      const text = await (await fetch(`${service.url}/metrics`)).text();
      for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) exported.set(m[1] ?? '', m[2] ?? '');
    }
    const expected = { ...APP_METRICS, ...DEFAULT_METRICS };
    const wrong = Object.entries(expected)
      .filter(([name, type]) => exported.get(name) !== type)
      .map(([name, type]) => `${name}: expected ${type}, exported ${exported.get(name) ?? 'nothing'}`);
    expect(wrong).toEqual([]);
  });
});
