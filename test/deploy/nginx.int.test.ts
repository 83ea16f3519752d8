/**
 * The repository's nginx config, run by the real nginx binary: it passes `nginx -t`, and in front of small
 * local upstreams it serves the SPA, proxies /api and upgrades /ws to a WebSocket.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket, { WebSocketServer } from 'ws';
import {
  checkNginxConfig,
  NGINX_ENTRYPOINT,
  NGINX_TEMPLATE,
  nginxAvailable,
  openToNginx,
  renderNginxConfig,
  startNginx,
  templateVariables,
  type RunningNginx,
} from './lib/nginx';
import { freePort } from '@pizza/stack';
import { waitFor } from '@pizza/shared/testing';

jest.setTimeout(30_000);

interface Upstream {
  url: string;
  host: string;
  seen: { url: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return `127.0.0.1:${port}`;
}

/** Stands in for the order service: echoes what it was asked as JSON. */
async function startApiUpstream(): Promise<Upstream> {
  const seen: Upstream['seen'] = [];
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ upstream: 'orders', method: req.method, url: req.url }));
  });
  const host = await listen(server);
  return {
    url: `http://${host}`,
    host,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Stands in for the notifications gateway: greets each socket with its path, then echoes. */
async function startWsUpstream(): Promise<Upstream> {
  const seen: Upstream['seen'] = [];
  const server = http.createServer((_req, res) => {
    res.writeHead(426).end();
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket, req) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    socket.send(JSON.stringify({ type: 'hello', url: req.url }));
    socket.on('message', (data) => socket.send(`echo:${data.toString()}`));
  });
  const host = await listen(server);
  return {
    url: `http://${host}`,
    host,
    seen,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function makeStaticRoot(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'spa-'));
  await mkdir(path.join(root, 'assets'));
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>pizza</title><div id="root"></div>');
  await writeFile(path.join(root, 'assets', 'app-1a2b3c.js'), 'console.log("pizza");');
  await openToNginx(root); // whatever the umask made of them
  return root;
}

const describeWithNginx = nginxAvailable() ? describe : describe.skip;

describeWithNginx('nginx config (deploy/nginx/nginx.conf.template)', () => {
  let staticRoot: string;

  beforeAll(async () => {
    staticRoot = await makeStaticRoot();
  });

  afterAll(async () => {
    await rm(staticRoot, { recursive: true, force: true });
  });

  it('names exactly the variables the images and the chart provide', async () => {
    const names = templateVariables(await readFile(NGINX_TEMPLATE, 'utf8')).sort();
    expect(names).toEqual([
      'NGINX_ACCESS_LOG',
      'NGINX_LISTEN',
      'NGINX_MIME_TYPES',
      'NGINX_RUNTIME_DIR',
      'NGINX_STATIC_ROOT',
      'NOTIFICATIONS_UPSTREAM',
      'ORDERS_UPSTREAM',
    ]);
  });

  it('passes nginx -t when rendered with test upstreams into a temp prefix', async () => {
    const config = await renderNginxConfig({
      upstreams: { orders: '127.0.0.1:8003', notifications: '127.0.0.1:8002' },
      staticRoot,
      port: await freePort(),
    });
    try {
      const verdict = checkNginxConfig(config);
      expect(verdict.output).toContain('syntax is ok');
      expect(verdict.ok).toBe(true);
    } finally {
      await rm(config.dir, { recursive: true, force: true });
    }
  });

  const hasEnvsubst = spawnSync('sh', ['-c', 'command -v envsubst'], { encoding: 'utf8' }).status === 0;
  (hasEnvsubst ? it : it.skip)(
    'the image entrypoint renders the same config and refuses a missing variable',
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'nginx-entry-'));
      const env = {
        PATH: `${process.env.PATH ?? ''}:/usr/sbin:/usr/local/sbin`,
        NGINX_TEMPLATE,
        NGINX_RUNTIME_DIR: dir,
        NGINX_LISTEN: `127.0.0.1:${await freePort()}`,
        NGINX_STATIC_ROOT: staticRoot,
        NGINX_MIME_TYPES: '/etc/nginx/mime.types',
        NGINX_ACCESS_LOG: path.join(dir, 'access.log'),
        ORDERS_UPSTREAM: '127.0.0.1:8003',
        NOTIFICATIONS_UPSTREAM: '127.0.0.1:8002',
      };
      try {
        const ok = spawnSync('sh', [NGINX_ENTRYPOINT, '-t'], { env, encoding: 'utf8', timeout: 10_000 });
        expect(`${ok.stdout}${ok.stderr}`).toContain('test is successful');
        expect(ok.status).toBe(0);

        const missing = spawnSync('sh', [NGINX_ENTRYPOINT, '-t'], {
          env: { ...env, ORDERS_UPSTREAM: '' },
          encoding: 'utf8',
          timeout: 10_000,
        });
        expect(missing.status).not.toBe(0);
        expect(missing.stderr).toContain('ORDERS_UPSTREAM is not set');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  describe('in front of local upstreams', () => {
    let api: Upstream;
    let gateway: Upstream;
    let nginx: RunningNginx;

    beforeAll(async () => {
      api = await startApiUpstream();
      gateway = await startWsUpstream();
      nginx = await startNginx({ upstreams: { orders: api.host, notifications: gateway.host }, staticRoot });
    });

    afterAll(async () => {
      await nginx?.stop();
      await api?.close();
      await gateway?.close();
    });

    it('serves the SPA at / and falls back to index.html for client-side routes', async () => {
      const root = await fetch(`${nginx.url}/`);
      expect(root.status).toBe(200);
      expect(root.headers.get('content-type')).toContain('text/html');
      expect(await root.text()).toContain('<title>pizza</title>');

      const route = await fetch(`${nginx.url}/orders/abc/track`);
      expect(route.status).toBe(200);
      expect(await route.text()).toContain('<div id="root">');
    });

    it('serves fingerprinted assets with a long cache lifetime and 404s a missing one', async () => {
      const asset = await fetch(`${nginx.url}/assets/app-1a2b3c.js`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toContain('javascript');
      expect(asset.headers.get('cache-control')).toContain('immutable');
      await asset.text();

      const missing = await fetch(`${nginx.url}/assets/nope.js`);
      expect(missing.status).toBe(404);
      await missing.text();
    });

    it('proxies /api to the order service with the path and forwarding headers intact', async () => {
      const response = await fetch(`${nginx.url}/api/v1/menu?x=1`, { headers: { 'idempotency-key': 'k-1' } });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ upstream: 'orders', method: 'GET', url: '/api/v1/menu?x=1' });
      const request = api.seen.at(-1);
      expect(request?.headers['x-forwarded-for']).toBe('127.0.0.1');
      expect(request?.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
      expect(request?.headers['idempotency-key']).toBe('k-1');

      const line = await waitFor(
        async () => (await nginx.accessLog()).split('\n').find((l) => l.includes('/api/v1/menu')),
        { what: 'the access log line' },
      );
      expect(JSON.parse(line)).toMatchObject({
        method: 'GET',
        path: '/api/v1/menu',
        status: 200,
        upstream: api.host,
      });
    });

    it('passes ?token= of old links on to the service but keeps it out of the access log', async () => {
      const secret = 'tok-4c7e9d2b8a';
      const response = await fetch(`${nginx.url}/api/v1/orders/o-9?token=${secret}`);
      expect(await response.json()).toMatchObject({ url: `/api/v1/orders/o-9?token=${secret}` });
      await fetch(`${nginx.url}/orders/o-9?token=${secret}`).then((r) => r.text());
      const lines = await waitFor(
        async () => {
          const log = (await nginx.accessLog()).split('\n').filter((l) => l.includes('/o-9'));
          return log.length >= 2 ? log : undefined;
        },
        { what: 'both access log lines' },
      );
      expect(lines.map((l) => (JSON.parse(l) as { path: string }).path)).toEqual([
        '/api/v1/orders/o-9',
        '/orders/o-9',
      ]);
      expect(await nginx.accessLog()).not.toContain(secret);
    });

    it('passes a POST body through /api', async () => {
      const response = await fetch(`${nginx.url}/api/v1/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ items: [] }),
      });
      expect(await response.json()).toMatchObject({ method: 'POST', url: '/api/v1/orders' });
    });

    it('upgrades /ws to a WebSocket on the notifications service, both ways', async () => {
      const socket = new WebSocket(`${nginx.url.replace('http', 'ws')}/ws/v1/order-tracking/o-1?token=t`);
      const messages: string[] = [];
      socket.on('message', (data: WebSocket.RawData) => messages.push(data.toString()));
      try {
        await waitFor(() => messages.length >= 1, { what: 'the greeting through nginx' });
        expect(JSON.parse(messages[0] ?? '')).toEqual({
          type: 'hello',
          url: '/ws/v1/order-tracking/o-1?token=t',
        });
        socket.send('ping-1');
        await waitFor(() => messages.includes('echo:ping-1'), { what: 'the echo through nginx' });
        expect(gateway.seen.at(-1)?.headers['x-forwarded-for']).toBe('127.0.0.1');
      } finally {
        socket.close();
        await waitFor(() => socket.readyState === WebSocket.CLOSED, { what: 'the socket to close' });
      }
    });

    it('answers /healthz itself and does not proxy /metrics', async () => {
      const health = await fetch(`${nginx.url}/healthz`);
      expect(await health.text()).toBe('ok\n');
      const before = api.seen.length;
      const metrics = await fetch(`${nginx.url}/metrics`);
      expect(await metrics.text()).toContain('<div id="root">');
      expect(api.seen.length).toBe(before);
    });
  });

  describe('in front of upstreams that are down', () => {
    let nginx: RunningNginx;

    beforeAll(async () => {
      // Ports nothing listens on: every proxied request fails to connect.
      const [orders, notifications] = [await freePort(), await freePort()];
      nginx = await startNginx({
        upstreams: { orders: `127.0.0.1:${orders}`, notifications: `127.0.0.1:${notifications}` },
        staticRoot,
      });
    });

    afterAll(async () => {
      await nginx?.stop();
    });

    it("logs the failure of a request without a query string, and keeps an old link's ?token= out of both logs", async () => {
      const secret = 'tok-9f3a7c1e5b';
      expect((await fetch(`${nginx.url}/api/v1/orders/o-7?token=${secret}`)).status).toBe(502);
      const socket = new WebSocket(
        `${nginx.url.replace('http', 'ws')}/ws/v1/order-tracking/o-7?token=${secret}`,
      );
      const refused = await new Promise<number | undefined>((resolve) => {
        socket.once('unexpected-response', (_req, res) => resolve(res.statusCode));
        socket.once('error', () => resolve(undefined));
      });
      socket.terminate();
      expect(refused).toBe(502);
      expect((await fetch(`${nginx.url}/api/v1/orders/o-8`)).status).toBe(502);

      // The error log works: the failure of the request without a query string is in it…
      await waitFor(() => nginx.output().includes('/api/v1/orders/o-8'), {
        what: 'the error log line of the failed request',
      });
      // …and the access log has all three, by path.
      const lines = await waitFor(
        async () => {
          const log = (await nginx.accessLog()).split('\n').filter((l) => /\/o-[78]/.test(l));
          return log.length >= 3
            ? log.map((l) => JSON.parse(l) as { path: string; status: number })
            : undefined;
        },
        { what: 'the three access log lines' },
      );
      expect(lines.map((l) => [l.path, l.status])).toEqual([
        ['/api/v1/orders/o-7', 502],
        ['/ws/v1/order-tracking/o-7', 502],
        ['/api/v1/orders/o-8', 502],
      ]);
      expect(nginx.output()).not.toContain(secret);
      expect(await nginx.accessLog()).not.toContain(secret);
    });
  });
});
