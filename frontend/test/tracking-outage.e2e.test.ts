import { RESTART_POLICY, startStack, type Stack } from '@pizza/stack';
import { CreatedOrder, MenuResponse } from '@pizza/shared/contract';
import { dropExternalDbs, GENEROUS_LIMITS_ENV, uniqueDbName } from '@pizza/shared/testing';
import type { Browser, Page } from 'playwright-core';
import { buildFrontend, launchChromium } from './browserSupport';

/**
 * The tracking page while the notifications process is down: it keeps showing the true state by polling
 * the order API, up to delivered, and goes live again once supervision has brought notifications back.
 * Restarts wait OUTAGE_MS here (not 1 s) so that the outage outlasts an order's last steps.
 */
const STEP_MS = 1_500;
const OUTAGE_MS = 15_000;
const DEADLINE_MS = 60_000;

jest.setTimeout(240_000);

let stack: Stack;
let browser: Browser;
const MONGO_DB = uniqueDbName('outage');

beforeAll(async () => {
  buildFrontend();
  stack = await startStack({
    port: 0,
    env: {
      ...GENEROUS_LIMITS_ENV,
      MONGO_DB,
      SIMULATOR_MIN_DELAY_MS: String(STEP_MS),
      SIMULATOR_MAX_DELAY_MS: String(STEP_MS),
      LOG_LEVEL: 'warn',
    },
    restartPolicy: { ...RESTART_POLICY, baseMs: OUTAGE_MS },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await dropExternalDbs(MONGO_DB);
});

function pidOf(name: 'notifications' | 'simulator'): number {
  return stack.services.find((s) => s.name === name)!.pid;
}

async function placeOrder(): Promise<CreatedOrder> {
  const menu = MenuResponse.parse(await (await fetch(new URL('/api/v1/menu', stack.url))).json()).items;
  const pizza = menu.find((item) => item.category === 'pizza' && item.stock > 0)!;
  const response = await fetch(new URL('/api/v1/orders', stack.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      items: [{ item_id: pizza.id, quantity: 1 }],
      customer: { name: 'Ada', address: '1 Loop Lane' },
    }),
  });
  expect(response.status).toBe(201);
  return CreatedOrder.parse(await response.json());
}

async function openTracking(order: CreatedOrder): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(new URL(`/orders/${order.id}?token=${order.tracking_token}`, stack.url).href);
  return page;
}

const heading = (page: Page, name: string) =>
  page.getByRole('heading', { level: 1, name }).waitFor({ timeout: DEADLINE_MS });
const indicator = (page: Page, text: string) =>
  page.getByRole('status', { name: `Live updates: ${text}` }).waitFor({ timeout: DEADLINE_MS });

test('with notifications killed mid-order, the page reaches delivered by polling, and a page goes live again after the restart', async () => {
  const first = await placeOrder();
  const page = await openTracking(first);
  await indicator(page, 'Live');
  await heading(page, 'Out for delivery');

  const killed = pidOf('notifications');
  process.kill(killed, 'SIGKILL');
  await indicator(page, 'Reconnecting…');
  await page.getByText('Live updates are interrupted').waitFor({ timeout: DEADLINE_MS });
  await heading(page, 'Delivered');
  // Nothing could have pushed it: the notifications process has not come back yet.
  expect(pidOf('notifications')).toBe(killed);
  await page.getByText('Delivery: Delivered').waitFor({ timeout: DEADLINE_MS });

  // A second order, held at its first step until its page is live again: the simulator is paused. (Were it
  // to run on, the order could reach delivered by polling before the page's next attempt, and a finished
  // order's page rightly stays off the socket.)
  const simulator = pidOf('simulator');
  process.kill(simulator, 'SIGSTOP');
  let opened: Page;
  try {
    const second = await placeOrder();
    opened = await openTracking(second);
    await heading(opened, 'Received');
    expect(pidOf('notifications')).toBe(killed);
    await indicator(opened, 'Reconnecting…');

    await indicator(opened, 'Live');
    expect(pidOf('notifications')).not.toBe(killed);
  } finally {
    process.kill(simulator, 'SIGCONT');
  }
  // Live for real: the rest of the journey arrives over the socket now that the simulator runs again.
  await heading(opened, 'Delivered');
  await page.close();
  await opened.close();
});
