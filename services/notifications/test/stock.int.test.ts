import type Redis from 'ioredis';
import WebSocket from 'ws';
import { newEvent } from '@pizza/shared';
import { StockMessage, WS_STOCK_PATH } from '@pizza/shared/contract';
import { waitFor } from '@pizza/shared/testing';
import { publish, useGatewayHarness } from './helpers';

jest.setTimeout(30_000);
const h = useGatewayHarness();
const TICK_MS = 200;
const FAST = { WS_STOCK_INTERVAL_MS: String(TICK_MS) };

const stockChanged = (...items: [itemId: string, stock: number, version: number][]) =>
  newEvent(
    'stock.changed',
    {
      items: items.map(([item_id, stock, version]) => ({ item_id, stock, version })),
      at: new Date().toISOString(),
    },
    { source: 'test' },
  );

/** A menu viewer that keeps every message it is sent. */
function viewer(port: number) {
  const ws = h.track(new WebSocket(`ws://127.0.0.1:${port}${WS_STOCK_PATH}`));
  const messages: StockMessage[] = [];
  ws.on('message', (data) => messages.push(StockMessage.parse(JSON.parse(String(data)))));
  const level = (itemId: string) => messages.at(-1)?.items.find((i) => i.item_id === itemId)?.stock;
  return { ws, messages, level };
}

/** Calls of one command since Redis started, from INFO commandstats. */
async function calls(redis: Redis, command: string): Promise<number> {
  const match = new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(await redis.info('commandstats'));
  return Number(match?.[1] ?? 0);
}

test('a viewer gets the levels at once, then each change; an older or repeated version changes nothing', async () => {
  const { port } = await h.gateway(FAST);
  await publish(h.redis, stockChanged(['margherita', 9, 3], ['cola', 40, 1]));
  await waitFor(async () => (await h.redis.hlen('notif:stock')) === 2, { what: 'the levels applied' });

  const menu = viewer(port);
  await waitFor(() => menu.messages.length > 0, { what: 'a snapshot on connect' });
  expect(menu.messages[0]!.items).toEqual([
    { item_id: 'cola', stock: 40 },
    { item_id: 'margherita', stock: 9 },
  ]);

  // Out of order (version 2 after 3) and a repeat of 3: both ignored; then version 4 is pushed.
  await publish(h.redis, stockChanged(['margherita', 10, 2]), stockChanged(['margherita', 9, 3]));
  await publish(h.redis, stockChanged(['margherita', 8, 4]));
  await waitFor(() => menu.level('margherita') === 8, { what: 'the new level pushed' });
  expect(menu.messages.map((m) => m.items.find((i) => i.item_id === 'margherita')!.stock)).not.toContain(10);

  // A second viewer joining mid-stream gets the current state at once.
  const late = viewer(port);
  await waitFor(() => late.level('margherita') === 8, { what: "the late viewer's snapshot" });
});

test('changes within a tick go out as one message, and 50 viewers cost the gateway what one does', async () => {
  const { port } = await h.gateway(FAST);
  const viewers = Array.from({ length: 50 }, () => viewer(port));
  await waitFor(() => viewers.every((v) => v.messages.length === 1), { what: 'every snapshot' });
  const readsBefore = await calls(h.redis, 'hgetall');
  const started = Date.now();

  // Twenty orders' worth of changes in one burst.
  await publish(h.redis, ...Array.from({ length: 20 }, (_, i) => stockChanged(['diavola', 100 - i, i + 1])));
  await waitFor(() => viewers.every((v) => v.level('diavola') === 81), { what: 'the last level everywhere' });
  const ticks = (Date.now() - started) / TICK_MS;
  // Far fewer messages than changes: one per tick at most (plus one of slack for a tick in flight).
  for (const v of viewers) expect(v.messages.length - 1).toBeLessThanOrEqual(Math.ceil(ticks) + 1);
  // One read per tick for everybody, not one per viewer.
  expect((await calls(h.redis, 'hgetall')) - readsBefore).toBeLessThanOrEqual(Math.ceil(ticks) + 2);
});
