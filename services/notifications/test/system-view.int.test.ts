import type Redis from 'ioredis';
import WebSocket from 'ws';
import {
  SystemSnapshot,
  TraceMessage,
  WS_CLOSE_NOT_FOUND,
  WS_SYSTEM_PATH,
  WS_TRACE_PATH,
  WS_TRACE_PROTOCOL,
  traceProtocols,
  STREAMS,
  GROUPS,
} from '@pizza/shared';
import { waitFor } from '@pizza/shared/testing';
import { happyPath, orderEvents, publish, useGatewayHarness } from './helpers';

jest.setTimeout(30_000);
const h = useGatewayHarness();
const FAST = { SYSTEM_VIEW_INTERVAL_MS: '100' };

/** A viewer that keeps every message it is sent. */
function open(port: number, path: string, protocols?: string[]) {
  const ws = h.track(new WebSocket(`ws://127.0.0.1:${port}${path}`, protocols));
  const messages: unknown[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<number>((resolve) => ws.once('close', resolve));
  return { ws, messages, closed };
}

const snapshots = (messages: unknown[]) => messages.map((m) => SystemSnapshot.parse(m));

/** Calls of one command since Redis started, from INFO commandstats (ZCOUNT: only the view sends it). */
async function calls(redis: Redis, command: string): Promise<number> {
  const info = await redis.info('commandstats');
  // Redis 7 counts subcommands apart: cmdstat_xinfo|stream, cmdstat_xinfo|groups, …
  const matches = info.matchAll(new RegExp(`cmdstat_${command}(?:\\|\\w+)?:calls=(\\d+)`, 'g'));
  return [...matches].reduce((sum, m) => sum + Number(m[1]), 0);
}

test('the view shows every stream of the topology with its groups, and a rising rate while entries flow', async () => {
  const { port } = await h.gateway(FAST);
  const viewer = open(port, WS_SYSTEM_PATH);
  await waitFor(() => viewer.messages.length > 0, { what: 'a first snapshot' });
  const [first] = snapshots(viewer.messages);
  expect(first!.streams.map((s) => s.stream)).toEqual(expect.arrayContaining(Object.values(STREAMS)));
  const orders = first!.streams.find((s) => s.stream === STREAMS.orders)!;
  expect(orders.groups.map((g) => g.group)).toEqual([
    GROUPS.delivery,
    GROUPS.notifications,
    GROUPS.simulator,
  ]);

  const o = orderEvents();
  await publish(h.redis, ...happyPath(o), ...happyPath(orderEvents()));
  await waitFor(
    () =>
      snapshots(viewer.messages).find((s) => s.streams.find((x) => x.stream === STREAMS.orders)!.rate > 0),
    { what: 'a positive rate on orders-stream' },
  );
  // Redis lists a consumer in a stream's group once it has been served from that stream, which may be a tick
  // after the entries were added (the gateway reads several streams, and claims between reads).
  await waitFor(
    () =>
      snapshots(viewer.messages)
        .at(-1)!
        .streams.find((s) => s.stream === STREAMS.orders)!
        .groups.find((g) => g.group === GROUPS.notifications)!.consumers === 1,
    { what: 'the one gateway listed as the consumer of its group' },
  );
  // Nobody reads for delivery here: its lag is everything written.
  await waitFor(
    () => {
      const last = snapshots(viewer.messages).at(-1)!;
      const orderStream = last.streams.find((s) => s.stream === STREAMS.orders)!;
      return (
        orderStream.groups.find((g) => g.group === GROUPS.notifications)!.lag === 0 &&
        last.orders_by_status.delivered === 2
      );
    },
    { what: 'the gateway group caught up and two orders delivered' },
  );
  const last = snapshots(viewer.messages).at(-1)!;
  expect(last.services.find((s) => s.service === 'notifications')!.alive).toBe(true);
  expect(last.services.find((s) => s.service === 'orders')!.alive).toBe(false);
  expect(last.delivered_last_minute).toBe(2);
});

test('with no viewer the view reads nothing; 50 viewers cost what one does', async () => {
  const { port } = await h.gateway(FAST);
  const before = await calls(h.redis, 'zcount');
  const idleWindow = Date.now() + 500;
  await waitFor(() => Date.now() > idleWindow, { intervalMs: 50 });
  expect(await calls(h.redis, 'zcount')).toBe(before);

  const perWindow = async (viewers: number) => {
    const opened = Array.from({ length: viewers }, () => open(port, WS_SYSTEM_PATH));
    await waitFor(() => opened.every((v) => v.messages.length >= 2), { what: `${viewers} viewers served` });
    const start = await calls(h.redis, 'zcount');
    await waitFor(() => opened.every((v) => v.messages.length >= 7), { what: 'five more ticks' });
    const used = (await calls(h.redis, 'zcount')) - start;
    for (const v of opened) v.ws.close();
    await Promise.all(opened.map((v) => v.closed));
    return used;
  };
  const one = await perWindow(1);
  const fifty = await perWindow(50);
  expect(one).toBeGreaterThan(0);
  // Same number of ticks for both; allow one tick of slack either way.
  expect(fifty).toBeLessThan(one * 1.5 + 40);
});

test("an order's trace lists its events in causal order with the group that handled each; the token guards it", async () => {
  const { port } = await h.gateway(FAST);
  const o = orderEvents();
  const events = happyPath(o);
  await publish(h.redis, ...events);

  const wrong = open(port, `${WS_TRACE_PATH}${o.orderId}`, traceProtocols('nope'));
  await waitFor(() => wrong.messages.length > 0, { what: 'the refusal' });
  expect(await wrong.closed).toBe(WS_CLOSE_NOT_FOUND);
  // The token in the URL is not read: it would end up in access logs.
  const inUrl = open(port, `${WS_TRACE_PATH}${o.orderId}?token=${o.token}`);
  expect(await inUrl.closed).toBe(WS_CLOSE_NOT_FOUND);

  const follower = open(port, `${WS_TRACE_PATH}${o.orderId}`, traceProtocols(o.token));
  // The server picks the trace protocol, never echoing the token.
  await new Promise((resolve) => follower.ws.once('open', resolve));
  expect(follower.ws.protocol).toBe(WS_TRACE_PROTOCOL);
  const trace = await waitFor(
    () =>
      follower.messages
        .map((m) => TraceMessage.parse(m))
        .find(
          (t) =>
            t.events.length === events.length &&
            t.events.every((e) => e.handled.at(-1)?.outcome === 'handled'),
        ),
    { what: 'a complete trace' },
  );
  expect(trace.events.map((e) => e.event_id).sort()).toEqual(events.map((e) => e.event_id).sort());
  for (const event of trace.events) {
    // An update can come before the step it follows (two streams): then a failed attempt shows before it.
    expect(event.handled.at(-1)).toMatchObject({ group: GROUPS.notifications, outcome: 'handled' });
    expect(event.handled.every((x, i, all) => i === 0 || x.attempt >= all[i - 1]!.attempt)).toBe(true);
    expect(event.source).toBe('test');
  }
  expect(JSON.stringify(trace)).not.toContain('Ada');
});
