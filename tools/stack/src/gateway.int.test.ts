import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
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
});
