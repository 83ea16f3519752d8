import { randomUUID } from 'node:crypto';
import { StatusMessage, WS_CLOSE_NOT_FOUND } from '@pizza/shared';
import { metricValue, TRACKING_SEQUENCE, waitFor } from '@pizza/shared/testing';
import WebSocket from 'ws';
import { CACHE_KEYS } from '../src/store/tracking-cache';
import { happyPath, JOURNEY, orderEvents, publish, useGatewayHarness, Watcher } from './helpers';

jest.setTimeout(30_000);
const h = useGatewayHarness();

const cacheUpdates = (port: number, outcome: string) =>
  metricValue(`http://127.0.0.1:${port}`, 'notifications_cache_updates_total', { outcome });

function watch(port: number, orderId: string, token: string | undefined) {
  const watcher = Watcher.connect(port, orderId, token);
  h.track(watcher.ws);
  return watcher;
}

test('on connect the cached state comes at once, then every change in order', async () => {
  const { port } = await h.gateway();
  const o = orderEvents();
  const [created, ...rest] = happyPath(o);
  await publish(h.redis, created!);
  await waitFor(async () => (await h.redis.exists(CACHE_KEYS.order(o.orderId))) === 1, { what: 'cached' });

  const watcher = watch(port, o.orderId, o.token);
  const [first] = await watcher.waitForSequence(1);
  expect(first).toBe('created/null');
  expect(StatusMessage.parse(watcher.messages[0])).toMatchObject({
    order_id: o.orderId,
    event_id: created!.event_id,
  });

  await publish(h.redis, ...rest);
  expect(await watcher.waitForSequence(TRACKING_SEQUENCE.length)).toEqual(TRACKING_SEQUENCE);
  const cache = await h.redis.hgetall(CACHE_KEYS.order(o.orderId));
  expect(cache).toMatchObject({
    status: 'delivered',
    delivery_status: 'delivered',
    event_id: rest.at(-1)!.event_id,
  });
  const ttl = await h.redis.ttl(CACHE_KEYS.order(o.orderId));
  expect(ttl).toBeGreaterThan(23 * 3600);
});

test('a wrong token for a known order is closed with 4404 at once', async () => {
  // A grace far beyond the deadline below: a close within it comes from the token check, not the grace running out.
  const { port } = await h.gateway({ WS_UNKNOWN_ORDER_GRACE_MS: '120000' });
  const o = orderEvents();
  await publish(h.redis, o.created());
  await waitFor(async () => (await h.redis.exists(CACHE_KEYS.order(o.orderId))) === 1, { what: 'cached' });
  const watcher = watch(port, o.orderId, 'not-the-token');
  await waitFor(() => watcher.closeCode !== undefined, {
    timeoutMs: 10_000,
    what: 'the socket to be closed',
  });
  expect(watcher.closeCode).toBe(WS_CLOSE_NOT_FOUND);
  expect(watcher.messages).toEqual([{ type: 'error', code: 'not_found', message: expect.any(String) }]);
});

test('a missing token and a malformed id are closed with 4404', async () => {
  const { port } = await h.gateway();
  const o = orderEvents();
  await publish(h.redis, o.created());
  expect(await watch(port, o.orderId, undefined).closed).toBe(WS_CLOSE_NOT_FOUND);
  expect(await watch(port, 'a/b', o.token).closed).toBe(WS_CLOSE_NOT_FOUND);
});

test('an order that is never created is closed with 4404 after the grace period', async () => {
  const { port } = await h.gateway({ WS_UNKNOWN_ORDER_GRACE_MS: '300' });
  const started = Date.now();
  const watcher = watch(port, `o-${randomUUID()}`, 'any');
  expect(await watcher.closed).toBe(WS_CLOSE_NOT_FOUND);
  expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  expect(watcher.messages[0]).toMatchObject({ type: 'error', code: 'not_found' });
});

test('a client that connects before order.created is processed waits for it instead of failing', async () => {
  const { port } = await h.gateway({ WS_UNKNOWN_ORDER_GRACE_MS: '5000' });
  const o = orderEvents();
  const watcher = watch(port, o.orderId, o.token);
  await watcher.opened;
  await publish(h.redis, ...happyPath(o).slice(0, 2));
  expect(await watcher.waitForSequence(2)).toEqual(TRACKING_SEQUENCE.slice(0, 2));
  expect(watcher.closeCode).toBeUndefined();
});

test('a wrong token for an order created during the grace period is still 4404', async () => {
  const { port } = await h.gateway({ WS_UNKNOWN_ORDER_GRACE_MS: '5000' });
  const o = orderEvents();
  const watcher = watch(port, o.orderId, 'wrong');
  await watcher.opened;
  await publish(h.redis, o.created());
  expect(await watcher.closed).toBe(WS_CLOSE_NOT_FOUND);
  expect(watcher.sequence).toEqual([]);
});

test('duplicates and stale events never move the state backwards or repeat a message', async () => {
  const { port } = await h.gateway();
  const o = orderEvents();
  const [created, first, second] = happyPath(o);
  await publish(h.redis, created!, first!, second!);
  const watcher = watch(port, o.orderId, o.token);
  await waitFor(() => watcher.sequence.at(-1) === TRACKING_SEQUENCE[2], { what: 'the third state' });
  const seen = [...watcher.sequence];
  const staleBefore = await cacheUpdates(port, 'stale');
  const marker = orderEvents();
  // Redelivered and stale events, then another order's event to know they were all consumed.
  await publish(h.redis, first!, second!, o.status('created', 'confirmed'), created!, marker.created());
  await waitFor(async () => (await h.redis.exists(CACHE_KEYS.order(marker.orderId))) === 1, {
    what: 'marker',
  });
  // The four repeats before the marker, each seen once as stale.
  await waitFor(async () => (await cacheUpdates(port, 'stale')) === staleBefore + 4, {
    what: 'stale counted',
  });
  expect(await h.redis.hget(CACHE_KEYS.order(o.orderId), 'status')).toBe(JOURNEY[2]!.status);
  expect(watcher.sequence).toEqual(seen);
});

test('a delivery event that overtakes its order event is held back until the order event is applied', async () => {
  const { port } = await h.gateway();
  const o = orderEvents();
  const path = happyPath(o);
  // The delivery's first event, and the order's event that hands the order over to it.
  const handoff = JOURNEY.findIndex((step) => step.delivery_status !== null);
  const [outForDelivery, deliveryCreated] = [path[handoff - 1]!, path[handoff]!];
  await publish(h.redis, ...path.slice(0, handoff - 1));
  const watcher = watch(port, o.orderId, o.token);
  const before = TRACKING_SEQUENCE[handoff - 2]!;
  await waitFor(() => watcher.sequence.at(-1) === before, { what: before });

  const earlyBefore = await cacheUpdates(port, 'early');
  await publish(h.redis, deliveryCreated);
  await waitFor(async () => (await cacheUpdates(port, 'early')) > earlyBefore, { what: 'early update seen' });
  await publish(h.redis, outForDelivery);
  await waitFor(() => watcher.sequence.at(-1) === TRACKING_SEQUENCE[handoff], { what: 'both applied' });
  const sequence = watcher.sequence;
  expect(sequence.slice(sequence.indexOf(before))).toEqual(TRACKING_SEQUENCE.slice(handoff - 2, handoff + 1));
});

test('a cancelled order shows cancelled', async () => {
  const { port } = await h.gateway();
  const o = orderEvents();
  await publish(h.redis, o.created(), o.cancelled());
  const watcher = watch(port, o.orderId, o.token);
  await waitFor(() => watcher.sequence.at(-1) === 'cancelled/null', { what: 'cancelled' });
});

test('paths other than order tracking are refused at the upgrade', async () => {
  const { port } = await h.gateway();
  const ws = h.track(new WebSocket(`ws://127.0.0.1:${port}/ws/v1/something-else`));
  const status = await new Promise<number | undefined>((resolve) => {
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode));
    ws.once('open', () => resolve(undefined));
    ws.once('error', () => undefined);
  });
  expect(status).toBe(404);
});

test('metrics show open connections, pushed messages and push latency', async () => {
  const { port } = await h.gateway();
  const o = orderEvents();
  const [created, next] = happyPath(o);
  const base = `http://127.0.0.1:${port}`;
  const openBefore = await metricValue(base, 'ws_connections_open');
  await publish(h.redis, created!);
  const watcher = watch(port, o.orderId, o.token);
  await watcher.waitForSequence(1);
  expect(await metricValue(base, 'ws_connections_open')).toBe(openBefore + 1);
  // The first message may be the state on connect, which has no push latency; the next one is a live push:
  // one message pushed, one push latency observed.
  const names = ['ws_messages_pushed_total', 'ws_push_latency_seconds_count'];
  const before = await Promise.all(names.map((name) => metricValue(base, name)));
  await publish(h.redis, next!);
  await watcher.waitForSequence(2);
  expect(await Promise.all(names.map((name) => metricValue(base, name)))).toEqual(before.map((v) => v + 1));
  const health = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: 'ready', checks: { redis: { status: 'up' }, consumers: { status: 'up' } } });
});

test('a client that connects while a restarted gateway still reads its backlog is not refused for an order further down', async () => {
  // A backlog of other orders, then ours: the gateway is started only afterwards, as after a restart.
  const o = orderEvents();
  const backlog = Array.from({ length: 2_000 }, () => orderEvents().created());
  for (let i = 0; i < backlog.length; i += 500) await publish(h.redis, ...backlog.slice(i, i + 500));
  await publish(h.redis, o.created());
  // No grace at all: without waiting for the backlog, an order not read yet would be refused at once.
  const { port } = await h.gateway({ WS_UNKNOWN_ORDER_GRACE_MS: '0' });
  const watcher = watch(port, o.orderId, o.token);
  expect(await watcher.waitForSequence(1)).toEqual(['created/null']);
  expect(watcher.closeCode).toBeUndefined();
  // And an order that really is unknown is still refused, once the backlog is read.
  expect(await watch(port, `o-${randomUUID()}`, 'any').closed).toBe(WS_CLOSE_NOT_FOUND);
});
