import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import { SLOW_BODY_REQUEST, trickleUntilCutOff } from '@pizza/shared/testing';
import { startGateway } from './gateway';

describe('gateway', () => {
  it('when a WebSocket is still open, then close() ends it instead of waiting for it', async () => {
    const upstream = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => upstream.once('listening', resolve));
    const upstreamPort = (upstream.address() as { port: number }).port;
    const staticDir = mkdtempSync(join(tmpdir(), 'gateway-static-'));
    const gateway = await startGateway({
      port: 0,
      staticDir,
      orders: () => [],
      notifications: () => [`http://127.0.0.1:${upstreamPort}`],
    });
    const client = new WebSocket(`ws://127.0.0.1:${gateway.port}/ws/v1/order-tracking/o1?token=t`);
    try {
      await new Promise((resolve, reject) => {
        client.once('open', resolve);
        client.once('error', reject);
      });
      const clientClosed = new Promise((resolve) => client.once('close', resolve));

      const closed = gateway.close().then(() => 'closed' as const);
      const late = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 3_000).unref());
      expect(await Promise.race([closed, late])).toBe('closed');
      await clientClosed;
    } finally {
      client.terminate();
      await new Promise((resolve) => upstream.close(resolve));
      rmSync(staticDir, { recursive: true, force: true });
    }
  });

  it('cuts off a client that trickles its body after the request timeout it is given', async () => {
    const staticDir = mkdtempSync(join(tmpdir(), 'gateway-static-'));
    // An order service that waits for the whole body, as the real one does.
    const orders = createServer((req, res) => req.resume().on('end', () => res.end('{}')));
    await new Promise<void>((resolve) => orders.listen(0, '127.0.0.1', resolve));
    const gateway = await startGateway({
      port: 0,
      staticDir,
      orders: () => [`http://127.0.0.1:${(orders.address() as AddressInfo).port}`],
      notifications: () => [],
      limits: { headersTimeoutMs: 10_000, requestTimeoutMs: 500, maxConnections: 100 },
    });
    try {
      expect(await trickleUntilCutOff(gateway.port, SLOW_BODY_REQUEST, 500)).toMatchObject({
        status: 408,
        cutOff: 'in time',
      });
    } finally {
      await gateway.close();
      orders.closeAllConnections();
      await new Promise((resolve) => orders.close(resolve));
      rmSync(staticDir, { recursive: true, force: true });
    }
  });

  it('logs each request and upgrade by its path, never its query string (old links carry ?token=)', async () => {
    const orders = createServer((_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => orders.listen(0, '127.0.0.1', resolve));
    const upstream = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => upstream.once('listening', resolve));
    const staticDir = mkdtempSync(join(tmpdir(), 'gateway-static-'));
    const lines: string[] = [];
    const gateway = await startGateway({
      port: 0,
      staticDir,
      orders: () => [`http://127.0.0.1:${(orders.address() as AddressInfo).port}`],
      notifications: () => [`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`],
      accessLog: (line) => lines.push(line),
    });
    const client = new WebSocket(`ws://127.0.0.1:${gateway.port}/ws/v1/order-tracking/o1?token=secret-ws`);
    const opened = new Promise((resolve, reject) => {
      client.once('open', resolve);
      client.once('error', reject);
    });
    try {
      await (await fetch(`http://127.0.0.1:${gateway.port}/api/v1/orders/o1?token=secret-http`)).text();
      await opened;
      const paths = lines.map((line) => (JSON.parse(line) as { path: string }).path);
      expect(paths).toEqual(expect.arrayContaining(['/api/v1/orders/o1', '/ws/v1/order-tracking/o1']));
      expect(lines.join('\n')).not.toContain('secret');
    } finally {
      client.terminate();
      await gateway.close();
      await new Promise((resolve) => upstream.close(resolve));
      orders.closeAllConnections(); // the gateway's keep-alive connection would hold close() for seconds
      await new Promise((resolve) => orders.close(resolve));
      rmSync(staticDir, { recursive: true, force: true });
    }
  });
});
