import { existsSync } from 'node:fs';
import { request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { listen, pathOf, type RunningServer, type ServerLimits } from '@pizza/shared';

/**
 * The one origin of `npm start`: `/api` → orders, `/ws` → notifications (WebSocket upgrade included),
 * everything else → the built frontend with a fallback to index.html for client-side routes.
 * Replicas are used round-robin. In production nginx plays this part (deploy/nginx).
 */
export interface GatewayOptions {
  port: number;
  host?: string;
  staticDir: string;
  orders: () => string[];
  notifications: () => string[];
  /**
   * When set, one JSON line per request and per WebSocket upgrade: method, path and status. The path
   * only, never the query: old tracking links carry `?token=`.
   */
  accessLog?: (line: string) => void;
  /** Its timeouts and connection cap, the services' own (HTTP_*); default: the configuration's defaults. */
  limits?: ServerLimits;
}

function logLine(log: ((line: string) => void) | undefined, fields: Record<string, unknown>) {
  log?.(JSON.stringify({ level: 'debug', time: new Date().toISOString(), msg: 'request', ...fields }));
}

function roundRobin(targets: () => string[]) {
  let next = 0;
  return () => {
    const list = targets();
    if (list.length === 0) return undefined;
    return new URL(list[next++ % list.length]!);
  };
}

function badGateway(res: ServerResponse) {
  if (res.headersSent) return res.destroy();
  res.writeHead(502, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { code: 'bad_gateway', message: 'Upstream service unavailable' } }));
}

export async function startGateway(options: GatewayOptions): Promise<RunningServer> {
  const pickOrders = roundRobin(options.orders);
  const pickNotifications = roundRobin(options.notifications);
  const app = express();
  app.disable('x-powered-by');
  if (options.accessLog) {
    app.use((req, res, next) => {
      const started = performance.now();
      res.on('finish', () =>
        logLine(options.accessLog, {
          method: req.method,
          path: pathOf(req.originalUrl),
          status: res.statusCode,
          duration_s: (performance.now() - started) / 1000,
        }),
      );
      next();
    });
  }

  app.use('/api', (req, res) => {
    const target = pickOrders();
    if (!target) return badGateway(res);
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.originalUrl, headers: forwarded(req) },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => badGateway(res));
    req.pipe(upstream);
  });

  const index = join(options.staticDir, 'index.html');
  app.use(express.static(options.staticDir, { index: false, maxAge: '1h' }));
  app.get(/.*/, (_req, res) => {
    if (!existsSync(index)) {
      res.status(503).type('text').send('The frontend is not built: npm run build:frontend');
      return;
    }
    res.sendFile(index, { headers: { 'cache-control': 'no-cache' } });
  });

  const running = await listen(app, options.port, options.host ?? '127.0.0.1', options.limits);
  const upgraded = attachUpgrade(running.server, pickNotifications, options.accessLog);
  return {
    ...running,
    // server.close() waits for every connection, and an upgraded WebSocket (an open tracking page)
    // never ends by itself: end those, client and upstream sides, or stopping would hang.
    close: async () => {
      const closing = running.close();
      for (const socket of upgraded) socket.destroy();
      upgraded.clear();
      await closing;
    },
  };
}

function forwarded(req: IncomingMessage) {
  return {
    ...req.headers,
    'x-forwarded-for': req.socket.remoteAddress ?? '',
    'x-forwarded-proto': 'http',
    'x-forwarded-host': req.headers.host ?? '',
  };
}

/**
 * Pipes a WebSocket upgrade on `/ws` to a notifications replica, bytes both ways. Returns the sockets
 * of the upgrades still open (client and upstream sides), for close() to end.
 */
function attachUpgrade(server: Server, pick: () => URL | undefined, log?: (line: string) => void): Set<Socket> {
  const open = new Set<Socket>();
  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url?.startsWith('/ws/') ? pick() : undefined;
    logLine(log, { method: req.method, path: pathOf(req.url), upgrade: 'websocket', upstream: target?.host ?? null });
    if (!target) {
      client.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    const upstream = connect(Number(target.port), target.hostname, () => {
      const headers = Object.entries(forwarded(req)).flatMap(([k, v]) =>
        (Array.isArray(v) ? v : [v]).map((value) => `${k}: ${value}`),
      );
      upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    open.add(client);
    open.add(upstream);
    const close = () => {
      open.delete(client);
      open.delete(upstream);
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', close);
    client.on('error', close);
    upstream.on('close', close);
    client.on('close', close);
  });
  return open;
}
