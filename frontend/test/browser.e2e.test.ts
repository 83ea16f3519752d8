import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startStack } from '@pizza/stack';
import {
  CreatedOrder,
  journeyText,
  LIFECYCLES,
  MenuResponse,
  ORDER_LIFECYCLE,
  StatusMessage,
  trackingJourney,
  type MenuItem,
} from '@pizza/shared/contract';
import { dropExternalDbs, uniqueDbName, waitFor } from '@pizza/shared/testing';
import type { Browser, Page } from 'playwright-core';
import { buildFrontend, launchChromium, ROOT } from './browserSupport';

/**
 * A visitor in a real browser against the whole stack: order, follow it live to the door, reload,
 * and meet an out-of-stock answer. Runs under the root Jest (browser project), never downloads a browser.
 */

const ARTIFACTS = join(ROOT, 'test-artifacts');
/** Deadlines for conditions, not sleeps: the fast simulator finishes an order in well under these. */
const STEP_DEADLINE_MS = 15_000;
const DELIVERY_DEADLINE_MS = 45_000;
const AT_ONCE_MS = 3_000;
/** Every state a tracker of an order that goes the whole way sees, in order (from the lifecycles). */
const JOURNEY = trackingJourney(LIFECYCLES).map((step) => journeyText(step, '-'));

jest.setTimeout(180_000);

let stack: Awaited<ReturnType<typeof startStack>>;
let browser: Browser;
/** Its own database: out-of-stock checks drain pizzas, which must not outlive this run. */
const MONGO_DB = uniqueDbName('browser');

beforeAll(async () => {
  buildFrontend();
  mkdirSync(ARTIFACTS, { recursive: true });
  stack = await startStack({
    port: 0,
    env: { MONGO_DB, SIMULATOR_MIN_DELAY_MS: '0', SIMULATOR_MAX_DELAY_MS: '20' },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await dropExternalDbs(MONGO_DB);
});

async function menu(): Promise<MenuItem[]> {
  const response = await fetch(new URL('/api/v1/menu', stack.url));
  return MenuResponse.parse(await response.json()).items;
}

async function pizzasInStock(minimum: number): Promise<MenuItem[]> {
  return (await menu()).filter((item) => item.category === 'pizza' && item.stock >= minimum);
}

async function addToCart(page: Page, item: MenuItem, times = 1): Promise<void> {
  const button = page.getByRole('button', { name: `Add ${item.name} to cart` });
  for (let added = 1; added <= times; added += 1) {
    await button.click();
    await page
      .getByRole('article', { name: item.name })
      .getByText(`${added} in your cart`)
      .waitFor({ timeout: STEP_DEADLINE_MS });
  }
}

async function checkout(page: Page): Promise<void> {
  await page.getByRole('link', { name: /^Cart/ }).click();
  await page.getByRole('link', { name: 'Checkout' }).click();
  await page.getByLabel('Name').fill('Ada Lovelace');
  await page.getByLabel('Address').fill('12 Analytical Engine Road');
  await page.getByRole('button', { name: 'Place order' }).click();
}

/**
 * Every step of the progress line is marked done and carries a time. The last status may arrive over
 * the socket before the HTTP timeline that carries the earlier times, so this waits for both.
 */
async function expectAllStepsDone(page: Page, timeoutMs = STEP_DEADLINE_MS): Promise<void> {
  const steps = page.getByRole('list', { name: 'Order progress' }).getByRole('listitem');
  const doneWithTime = /\(done\)\s*\d{1,2}:\d{2}:\d{2}/;
  let texts: string[] = [];
  try {
    await waitFor(
      async () => {
        texts = await steps.allTextContents();
        return (
          texts.length === ORDER_LIFECYCLE.happyPath.length && texts.every((text) => doneWithTime.test(text))
        );
      },
      { timeoutMs, what: 'every step done with its time' },
    );
  } catch (error) {
    // Shows which step lacks what instead of only the timeout.
    expect(texts).toHaveLength(ORDER_LIFECYCLE.happyPath.length);
    for (const text of texts) expect(text).toMatch(doneWithTime);
    throw error;
  }
}

/** Every status push the page receives over its WebSocket, as `status/delivery_status`, in order. */
function recordPushes(page: Page): string[] {
  const pushes: string[] = [];
  page.on('websocket', (socket) =>
    socket.on('framereceived', ({ payload }) => {
      const message = StatusMessage.safeParse(JSON.parse(String(payload)));
      if (message.success) pushes.push(`${message.data.status}/${message.data.delivery_status ?? '-'}`);
    }),
  );
  return pushes;
}

/** Buys an item's stock directly through the API until only `leave` remain. */
async function drainStock(item: MenuItem, leave: number): Promise<void> {
  let remaining = item.stock - leave;
  while (remaining > 0) {
    const quantity = Math.min(remaining, 50);
    const response = await fetch(new URL('/api/v1/orders', stack.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        items: [{ item_id: item.id, quantity }],
        customer: { name: 'Rival', address: 'Next door' },
      }),
    });
    expect(response.status).toBe(201);
    CreatedOrder.parse(await response.json());
    remaining -= quantity;
  }
}

describe('a visitor in the browser', () => {
  let trackingUrl = '';

  it('adds two pizzas, checks out and sees every status arrive live, in order, up to delivered', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const pushes = recordPushes(page);
    const simulator = stack.services.find((s) => s.name === 'simulator');
    if (simulator === undefined) throw new Error('the stack has no simulator');
    const [first, second] = await pizzasInStock(1);
    if (first === undefined || second === undefined)
      throw new Error('the seeded menu needs two pizzas in stock');

    await page.goto(stack.url);
    await page.getByRole('article', { name: first.name }).waitFor({ timeout: STEP_DEADLINE_MS });
    await page.screenshot({ path: join(ARTIFACTS, 'menu.png'), fullPage: true });
    await addToCart(page, first);
    await addToCart(page, second);
    // The simulator is held, so the order cannot move before the tracking page is connected.
    process.kill(simulator.pid, 'SIGSTOP');
    try {
      await checkout(page);
      await page.waitForURL(/\/orders\/[^/?]+\?token=/, { timeout: STEP_DEADLINE_MS });
      // A page reload would lose this marker: its survival proves the updates came live.
      await page.evaluate('window.__sameDocument = true');
      await page.getByRole('heading', { level: 1, name: 'Received' }).waitFor({ timeout: STEP_DEADLINE_MS });
      await waitFor(() => pushes.length > 0, { timeoutMs: STEP_DEADLINE_MS, what: 'the first push' });
      expect(pushes).toEqual([JOURNEY[0]]);
    } finally {
      process.kill(simulator.pid, 'SIGCONT');
    }
    await page
      .getByRole('heading', { level: 1, name: 'Delivered' })
      .waitFor({ timeout: DELIVERY_DEADLINE_MS });
    // Every intermediate status reached the page as a push of its own, in order.
    expect(pushes).toEqual(JOURNEY);
    await expectAllStepsDone(page);
    await page.getByText('Delivery: Delivered').waitFor({ timeout: STEP_DEADLINE_MS });
    expect(await page.evaluate('window.__sameDocument === true')).toBe(true);

    await page.screenshot({ path: join(ARTIFACTS, 'tracking.png'), fullPage: true });
    trackingUrl = page.url();
    await page.close();
  });

  it('reloads the tracking page and sees the current state at once', async () => {
    expect(trackingUrl).not.toBe('');
    const page = await browser.newPage();
    await page.goto(trackingUrl);
    await page.getByRole('heading', { level: 1, name: 'Delivered' }).waitFor({ timeout: AT_ONCE_MS });
    await expectAllStepsDone(page, AT_ONCE_MS);
    await page.close();
  });

  it('is told, next to the line, when stock ran out before checkout', async () => {
    const page = await browser.newPage();
    const [scarce] = (await pizzasInStock(2)).sort((a, b) => a.stock - b.stock);
    if (scarce === undefined) throw new Error('the seeded menu needs a pizza with at least two in stock');

    await page.goto(stack.url);
    await addToCart(page, scarce, 2);
    await drainStock(scarce, 1);
    await checkout(page);

    const line = page
      .getByRole('list', { name: 'Order summary' })
      .getByRole('listitem')
      .filter({ hasText: scarce.name });
    await line
      .getByRole('alert')
      .getByText('Not enough in stock: you asked for 2, only 1 is left.')
      .waitFor({ timeout: STEP_DEADLINE_MS });
    expect(page.url()).toMatch(/\/checkout$/);
    await page.screenshot({ path: join(ARTIFACTS, 'out-of-stock.png'), fullPage: true });
    await page.close();
  });
});
