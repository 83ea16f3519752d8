import { startStack } from '@pizza/stack';
import { CreatedOrder, MenuResponse, WS_STOCK_PATH, type MenuItem } from '@pizza/shared/contract';
import { dropExternalDbs, GENEROUS_LIMITS_ENV, uniqueDbName, waitFor } from '@pizza/shared/testing';
import type { Browser } from 'playwright-core';
import { buildFrontend, launchChromium } from './browserSupport';

/**
 * The menu page follows stock live in real Chromium against the whole stack: an order placed through the
 * API (not by this page) takes stock, and the page shows the new level without a reload and without asking
 * the menu again: the level came over the stock socket.
 */

const DEADLINE_MS = 15_000;

jest.setTimeout(180_000);

let stack: Awaited<ReturnType<typeof startStack>>;
let browser: Browser;
const MONGO_DB = uniqueDbName('live-stock');

beforeAll(async () => {
  buildFrontend();
  stack = await startStack({ port: 0, env: { ...GENEROUS_LIMITS_ENV, MONGO_DB } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await dropExternalDbs(MONGO_DB);
});

async function menuItem(id: string): Promise<MenuItem> {
  const response = await fetch(new URL('/api/v1/menu', stack.url));
  return MenuResponse.parse(await response.json()).items.find((item) => item.id === id)!;
}

async function order(item: MenuItem, quantity: number): Promise<void> {
  const response = await fetch(new URL('/api/v1/orders', stack.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      items: [{ item_id: item.id, quantity }],
      customer: { name: 'Stock Watcher', address: '3 Shelf Street' },
    }),
  });
  expect(response.status).toBe(201);
  CreatedOrder.parse(await response.json());
}

test('a stock level drop shows on the open menu page without a reload or a poll', async () => {
  const first = MenuResponse.parse(await (await fetch(new URL('/api/v1/menu', stack.url))).json()).items;
  let item = first.find((i) => i.category === 'pizza')!;
  // Down to its last 40: the card then says how many are left.
  const low = Math.max(3, Math.ceil(item.target_stock / 5));
  while (item.stock > low) {
    await order(item, Math.min(50, item.stock - low));
    item = await menuItem(item.id);
  }

  const page = await browser.newPage();
  const menuReads: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/v1/menu') menuReads.push(request.url());
  });
  let pushes = 0;
  page.on('websocket', (socket) => {
    if (new URL(socket.url()).pathname === WS_STOCK_PATH) socket.on('framereceived', () => (pushes += 1));
  });
  try {
    await page.goto(stack.url);
    const card = page.getByRole('article', { name: item.name });
    await card.getByText(`${item.stock} left`).waitFor({ timeout: DEADLINE_MS });
    // Live: the stock socket has sent its snapshot.
    await waitFor(() => pushes > 0, { timeoutMs: DEADLINE_MS, what: 'the stock snapshot' });
    const readsBeforeOrder = menuReads.length;
    // A reload would lose this.
    await page.evaluate('window.__sameDocument = true');

    await order(item, 5);
    await card.getByText(`${item.stock - 5} left`).waitFor({ timeout: DEADLINE_MS });
    // The level came over the socket: the menu was not read again since the page went live.
    expect(menuReads).toHaveLength(readsBeforeOrder);
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
  } finally {
    await page.close();
  }
});
