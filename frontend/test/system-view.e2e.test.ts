import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { startStack } from '@pizza/stack';
import { CreatedOrder, MenuResponse, OrderView, STREAMS } from '@pizza/shared/contract';
import { dropExternalDbs, GENEROUS_LIMITS_ENV, uniqueDbName, waitFor } from '@pizza/shared/testing';
import { chromium, type Browser, type Page } from 'playwright-core';

/** The system view, an order's trace and the dead-letter tools, in real Chromium against the whole stack. */

const ROOT = resolve(__dirname, '../..');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const AXE = require.resolve('axe-core/axe.min.js');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
];
const DEADLINE_MS = 45_000;

jest.setTimeout(240_000);

let stack: Awaited<ReturnType<typeof startStack>>;
let browser: Browser;
let redis: Redis;
const MONGO_DB = uniqueDbName('system');

beforeAll(async () => {
  execFileSync('npm', ['run', 'build', '-w', 'frontend'], { cwd: ROOT, stdio: 'ignore' });
  mkdirSync(ARTIFACTS, { recursive: true });
  stack = await startStack({
    port: 0,
    // The demo load places its orders through the public API: this client must not be rate limited.
    env: { ...GENEROUS_LIMITS_ENV, MONGO_DB, SIMULATOR_MIN_DELAY_MS: '0', SIMULATOR_MAX_DELAY_MS: '20' },
  });
  redis = new Redis(stack.redisUrl);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
});

afterAll(async () => {
  await browser?.close();
  await redis?.quit();
  await stack?.stop();
  await dropExternalDbs(MONGO_DB);
});

const api = (path: string) => new URL(path, stack.url);

async function placeOrder(): Promise<CreatedOrder> {
  const menu = MenuResponse.parse(await (await fetch(api('/api/v1/menu'))).json());
  const item = menu.items.find((i) => i.stock > 0)!;
  const response = await fetch(api('/api/v1/orders'), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      items: [{ item_id: item.id, quantity: 1 }],
      customer: { name: 'Grace', address: '1 Bug Lane' },
    }),
  });
  return CreatedOrder.parse(await response.json());
}

async function delivered(order: CreatedOrder): Promise<void> {
  await waitFor(
    async () => {
      const r = await fetch(api(`/api/v1/orders/${order.id}?token=${order.tracking_token}`));
      return OrderView.parse(await r.json()).status === 'delivered';
    },
    { timeoutMs: DEADLINE_MS, intervalMs: 200, what: 'the order delivered' },
  );
}

/** axe-core in the page: no serious or critical violation. */
async function expectAccessible(page: Page): Promise<void> {
  await page.addScriptTag({ path: AXE });
  const violations = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))`,
  )) as string[];
  expect(violations).toEqual([]);
}

const streamCard = (page: Page, stream: string) => page.getByRole('article', { name: stream });
const rateOf = async (page: Page, stream: string) =>
  Number.parseFloat((await streamCard(page, stream).locator('[data-rate]').textContent()) ?? '0');

test('the system view shows a stream rate rising while demo orders flow, and the lag draining to 0', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(stack.url);
  await page.getByRole('link', { name: 'System' }).click();
  await page.getByRole('status').getByText(/^Live/).waitFor({ timeout: DEADLINE_MS });
  await streamCard(page, STREAMS.orders).waitFor();
  expect(await rateOf(page, STREAMS.orders)).toBe(0);

  await page.getByLabel('Admin token').fill(stack.adminToken);
  await page.getByLabel(/^Orders/).fill('60');
  await page.getByLabel(/^Per second/).fill('20');
  await page.getByRole('button', { name: 'Send demo orders' }).click();
  await page.getByText('Sending 60 orders at 20/s').waitFor();

  await waitFor(async () => (await rateOf(page, STREAMS.orders)) >= 5, {
    timeoutMs: DEADLINE_MS,
    intervalMs: 100,
    what: 'orders-stream rate rising',
  });
  await page.screenshot({ path: join(ARTIFACTS, 'system-view.png'), fullPage: true });
  const lagOfNotifications = streamCard(page, STREAMS.orders)
    .getByRole('listitem')
    .filter({ hasText: 'notifications-group' });
  await waitFor(
    async () =>
      (await rateOf(page, STREAMS.orders)) === 0 &&
      (await lagOfNotifications.getByText('lag 0', { exact: true }).count()) === 1,
    { timeoutMs: DEADLINE_MS, intervalMs: 200, what: 'the load over and the lag back to 0' },
  );
  expect(await page.getByText('notifications ● alive').count()).toBe(1);
  await expectAccessible(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await expectAccessible(page);
  await page.screenshot({ path: join(ARTIFACTS, 'system-view-390.png'), fullPage: true });
  await page.close();
});

test('a trace shows every event of a delivered order in causal order, with the groups that handled each', async () => {
  const order = await placeOrder();
  await delivered(order);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${stack.url}/orders/${order.id}?token=${order.tracking_token}`);
  await page.getByRole('link', { name: 'How did this happen?' }).click();
  const events = page.getByRole('list', { name: 'Events in causal order' }).locator(':scope > li');
  // The last event to be handled: the gateway applying `delivered`.
  await waitFor(
    async () => (await events.count()) >= 15 && (await page.getByText('order.status_changed').count()) === 4,
    {
      timeoutMs: DEADLINE_MS,
      intervalMs: 200,
      what: 'the whole chain',
    },
  );
  const types = await events.evaluateAll((rows) => rows.map((r) => r.querySelector('p')?.textContent ?? ''));
  for (const type of [
    'order.created',
    'order.simulate',
    'order.status_simulated',
    'order.status_changed',
    'delivery.created',
    'delivery.simulate',
    'delivery.status_simulated',
    'delivery.status_changed',
  ])
    expect(types).toContain(type);
  // The request caused two events with no parent (order.created, order.simulate): a root comes first.
  expect(await events.first().textContent()).toContain('(first)');
  // Causal order: each event's cause, when listed, comes before it.
  const links = await events.evaluateAll((rows) => rows.map((r) => r.textContent ?? ''));
  const eventIds = links.map((t) => /event (\w{8})/.exec(t)?.[1]);
  links.forEach((text, i) => {
    const cause = /caused by (\w{8})/.exec(text)?.[1];
    if (cause && eventIds.includes(cause)) expect(eventIds.indexOf(cause)).toBeLessThan(i);
  });
  const created = events.filter({ hasText: 'order.created' }).first();
  // The simulator reads orders-stream for cancellations only: it does not handle order.created.
  for (const group of ['delivery-group', 'notifications-group'])
    await created
      .getByText(new RegExp(`${group} ✓ handled`))
      .first()
      .waitFor();
  expect(await events.filter({ hasNotText: '✓ handled' }).count()).toBe(0);
  expect(await page.content()).not.toContain('Bug Lane');
  await page.screenshot({ path: join(ARTIFACTS, 'order-trace.png'), fullPage: true });
  await expectAccessible(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await expectAccessible(page);
  await page.close();
});

test('a poison entry shows as a dead letter in the panel, and its replay shows in the trace', async () => {
  const order = await placeOrder();
  await delivered(order);
  await redis.xadd(
    STREAMS.orders,
    '*',
    'event_id',
    `poison-${order.id}`,
    'event_type',
    'order.status_changed',
    'schema_version',
    '1',
    'correlation_id',
    order.id,
    'causation_id',
    '',
    'source',
    'orders',
    'timestamp',
    new Date().toISOString(),
    'payload',
    JSON.stringify({ order_id: order.id, from: 'delivered', status: 'teleported' }),
  );

  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${stack.url}/dev`);
  await page.getByLabel('Admin token').fill(stack.adminToken);
  await page.getByRole('button', { name: 'Show dead letters' }).click();
  await page.reload();
  const letters = page.getByRole('list', { name: 'Dead letters' }).getByRole('listitem');
  const poison = letters
    .filter({ hasText: 'notifications-group' })
    .filter({ hasText: 'order.status_changed' });
  await waitFor(
    async () => {
      await page.getByRole('button', { name: 'Reload list' }).click();
      return (await poison.count()) === 1;
    },
    { timeoutMs: DEADLINE_MS, intervalMs: 500, what: 'the poison entry in the panel' },
  );
  await poison.getByRole('button', { name: /^Show/ }).click();
  await page.getByText(`poison-${order.id}`).first().waitFor();
  await poison.getByRole('button', { name: /^Replay/ }).click();
  await page.getByText(/Replayed to orders-stream as/).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'dead-letters.png'), fullPage: true });

  await page.goto(`${stack.url}/orders/${order.id}/trace?token=${order.tracking_token}`);
  await page.getByText('replayed ×1').waitFor({ timeout: DEADLINE_MS });
  await page
    .getByText(/notifications-group ☠ dead-lettered/)
    .first()
    .waitFor();
  await page.close();
});

afterAll(() => {
  // The README's pictures of the two views, refreshed on request only: a test run leaves tracked files alone.
  if (process.env.UPDATE_DOC_SCREENSHOTS !== '1') return;
  for (const name of ['system-view.png', 'order-trace.png'])
    copyFileSync(join(ARTIFACTS, name), join(ROOT, 'docs', name));
});
