import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseTrustProxy, type Logger } from '@pizza/shared';
import { waitFor } from '@pizza/shared/testing';
import { gatewayMetrics } from '../src/metrics';
import type { CachedOrder } from '../src/store/tracking-cache';
import { ConnectionCaps } from '../src/ws/connection-caps';
import { sweepIntervalMs, TrackingGateway, type GatewayOptions } from '../src/ws/gateway';
import { orderEvents, publish, sha256, trackingState, useGatewayHarness, Watcher } from './helpers';

jest.setTimeout(30_000);
const h = useGatewayHarness();

const logger = { debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() } as unknown as Logger;
const cached = (orderId: string, rank = 1): CachedOrder => ({
  tokenHash: sha256('t'),
  state: trackingState(orderId, rank),
});

/** A gateway on a server of its own, over a cache the test controls. */
async function standalone(options: Partial<GatewayOptions>) {
  const gateway = new TrackingGateway({
    readCache: (orderId) => Promise.resolve(cached(orderId)),
    readCaches: (orderIds) => Promise.resolve(orderIds.map((id) => cached(id))),
    logger,
    metrics: gatewayMetrics(),
    pingIntervalMs: 60_000,
    clientTimeoutMs: 120_000,
    maxBufferedBytes: 1024 * 1024,
    graceMs: 10_000,
    trustProxy: parseTrustProxy('loopback'),
    caps: new ConnectionCaps({ total: 10_000, perClient: 10_000 }),
    tokenFailures: { attempt: () => Promise.resolve({ limited: false, settle: () => undefined }) },
    ...options,
  });
  const server: Server = createServer();
  gateway.attach(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gateway.start();
  const port = (server.address() as AddressInfo).port;
  cleanups.push(async () => {
    await gateway.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { gateway, port };
}
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

test('a silent client is dropped close after the timeout, not at the next ping after it', async () => {
  // Pinged every 1 s with a 2 s timeout: checked only at the pings, it would go after 3 s.
  const { port } = await h.gateway({ WS_PING_INTERVAL_MS: '1000', WS_CLIENT_TIMEOUT_MS: '2000' });
  const o = orderEvents();
  await publish(h.redis, o.created());
  const silent = Watcher.connect(port, o.orderId, o.token, { autoPong: false });
  const lively = Watcher.connect(port, o.orderId, o.token);
  h.track(silent.ws);
  h.track(lively.ws);
  const startedAt = Date.now();
  await Promise.all([silent.waitForSequence(1), lively.waitForSequence(1)]);
  expect(await silent.closed).toBe(1006);
  const silentFor = Date.now() - startedAt;
  expect(silentFor).toBeGreaterThanOrEqual(1_900);
  expect(silentFor).toBeLessThan(
    2_000 + sweepIntervalMs({ pingIntervalMs: 1000, clientTimeoutMs: 2000 }) + 500,
  );
  expect(lively.closeCode).toBeUndefined();
});

test('the sweep runs often enough for any ping interval', () => {
  expect(sweepIntervalMs({ pingIntervalMs: 30_000, clientTimeoutMs: 60_000 })).toBe(3_000);
  expect(sweepIntervalMs({ pingIntervalMs: 50, clientTimeoutMs: 300 })).toBe(15);
  expect(sweepIntervalMs({ pingIntervalMs: 10, clientTimeoutMs: 60_000 })).toBe(10);
});

test('a resync reads every watched order in one round trip, and resyncs never overlap', async () => {
  const reads: string[][] = [];
  const pending: (() => void)[] = [];
  const { gateway, port } = await standalone({
    readCaches: (orderIds) => {
      reads.push([...orderIds]);
      return new Promise((resolve) => pending.push(() => resolve(orderIds.map((id) => cached(id, 2)))));
    },
  });
  const watchers = ['o-1', 'o-2', 'o-3'].map((id) => Watcher.connect(port, id, 't'));
  watchers.forEach((w) => h.track(w.ws));
  await Promise.all(watchers.map((w) => w.waitForSequence(1)));

  const first = gateway.resync();
  const second = gateway.resync();
  const third = gateway.resync();
  expect(reads).toHaveLength(1);
  expect([...reads[0]!].sort()).toEqual(['o-1', 'o-2', 'o-3']);
  pending.shift()!();
  // Asked for while one ran: exactly one more follows it.
  await waitFor(() => reads.length === 2, { timeoutMs: 5_000, what: 'the follow-up resync' });
  pending.shift()!();
  await Promise.all([first, second, third]);
  expect(reads).toHaveLength(2);
  await Promise.all(watchers.map((w) => w.waitForSequence(2)));
});

test('a client still waiting for its order when the gateway stops is closed with 1001, not 4404', async () => {
  const { gateway, port } = await standalone({ readCache: () => Promise.resolve(undefined) });
  const watcher = Watcher.connect(port, 'o-unknown', 't');
  h.track(watcher.ws);
  await watcher.opened;
  await gateway.stop();
  expect(await watcher.closed).toBe(1001);
});
