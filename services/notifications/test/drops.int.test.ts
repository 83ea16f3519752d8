import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { metricValue, waitFor } from '@pizza/shared/testing';
import { CACHE_KEYS } from '../src/store/tracking-cache';
import { orderEvents, publish, useGatewayHarness, Watcher } from './helpers';

jest.setTimeout(30_000);
const h = useGatewayHarness();

const dropped = (port: number, reason: string) =>
  metricValue(`http://127.0.0.1:${port}`, 'ws_clients_dropped_total', { reason });

/**
 * The gateway and both clients share this process: when a loaded machine leaves it unscheduled, pings and
 * pongs wait with everything else, and a timeout not much longer than such a stall would drop the client
 * that answers too. So the timeout is well above a stall, and the ping interval short against the timeout.
 */
const CLIENT_TIMEOUT_MS = 1_000;

test('a client that stops answering pings is dropped; one that answers stays', async () => {
  const { port } = await h.gateway({
    WS_PING_INTERVAL_MS: '50',
    WS_CLIENT_TIMEOUT_MS: String(CLIENT_TIMEOUT_MS),
  });
  const o = orderEvents();
  await publish(h.redis, o.created());
  const droppedBefore = await dropped(port, 'timeout');
  // Before connecting: the gateway starts a client's silence no earlier than this.
  const connectedFrom = Date.now();
  const silent = Watcher.connect(port, o.orderId, o.token, { autoPong: false });
  const lively = Watcher.connect(port, o.orderId, o.token);
  h.track(silent.ws);
  h.track(lively.ws);
  await Promise.all([silent.waitForSequence(1), lively.waitForSequence(1)]);

  const code = await silent.closed;
  expect(code).toBe(1006); // terminated, no closing handshake
  expect(Date.now() - connectedFrom).toBeGreaterThanOrEqual(CLIENT_TIMEOUT_MS);
  expect(lively.closeCode).toBeUndefined();
  expect(await dropped(port, 'timeout')).toBe(droppedBefore + 1);
});

/** A client that completes the handshake and then never reads a byte. */
async function stalledClient(port: number, orderId: string, token: string): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  socket.write(
    `GET /ws/v1/order-tracking/${orderId}?token=${token} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n` +
      `Connection: Upgrade\r\nSec-WebSocket-Key: ${Buffer.from(randomUUID().slice(0, 16)).toString('base64')}\r\n` +
      `Sec-WebSocket-Version: 13\r\n\r\n`,
  );
  await new Promise<void>((resolve) => socket.once('data', () => resolve()));
  socket.pause();
  return socket;
}

test('a client too slow to read is dropped instead of growing the send buffer', async () => {
  const { port } = await h.gateway({ WS_MAX_BUFFERED_BYTES: String(256 * 1024) });
  const o = orderEvents();
  await publish(h.redis, o.created());
  await waitFor(async () => (await h.redis.exists(CACHE_KEYS.order(o.orderId))) === 1, { what: 'cached' });
  const socket = await stalledClient(port, o.orderId, o.token);
  const reader = Watcher.connect(port, o.orderId, o.token);
  h.track(reader.ws);
  await reader.waitForSequence(1);
  const droppedBefore = await dropped(port, 'slow');
  try {
    // Large states straight onto the fan-out channel, until the kernel buffers are full and the gateway's
    // own buffer passes the bound.
    const padding = 'x'.repeat(32 * 1024);
    let rank = 100;
    await waitFor(
      async () => {
        const pipeline = h.redis.pipeline();
        for (let i = 0; i < 50; i++) {
          const state = {
            order_id: o.orderId,
            status: 'created',
            delivery_status: null,
            at: padding,
            event_id: `e${rank}`,
            ts: new Date().toISOString(),
            rank: rank++,
          };
          pipeline.publish(CACHE_KEYS.channel, JSON.stringify(state));
        }
        await pipeline.exec();
        return (await dropped(port, 'slow')) === droppedBefore + 1;
      },
      { timeoutMs: 20_000, intervalMs: 1, what: 'slow client dropped' },
    );
    // The reader keeps up and stays connected.
    await waitFor(() => reader.messages.length >= 50, { what: 'reader kept up' });
    expect(reader.closeCode).toBeUndefined();
  } finally {
    socket.destroy();
  }
});
