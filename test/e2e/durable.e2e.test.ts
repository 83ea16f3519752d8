import { statSync } from 'node:fs';
import Redis from 'ioredis';
import { MongoClient } from 'mongodb';
import { readLocalStack, stackFilePath } from '@pizza/shared';
import { CreatedOrder, MenuResponse, OrderView, type MenuItem } from '@pizza/shared/contract';
import { waitFor } from '@pizza/shared/testing';
import { badTimelines, deliveryCounts, stockLevels } from '../chaos/support/checks';
import { cleanUpLaunches, isAlive, launchStack, stackMessage, type LaunchedStack } from './launcher';

/**
 * `npm start` keeps its data: stopped with Ctrl-C while orders are on their way and started again on the
 * same data folder, it finishes every one of them, once, with the stock it had.
 */

// Slow enough steps that orders are still on their way when the stack is stopped.
const SLOW = { SIMULATOR_MIN_DELAY_MS: '300', SIMULATOR_MAX_DELAY_MS: '600' };
const ORDERS = 8;

afterAll(() => cleanUpLaunches());

async function menu(url: string): Promise<MenuItem[]> {
  return MenuResponse.parse(await (await fetch(`${url}/api/v1/menu`)).json()).items;
}

async function place(url: string, item: MenuItem): Promise<CreatedOrder> {
  const res = await fetch(`${url}/api/v1/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ items: [{ item_id: item.id, quantity: 1 }], customer: { name: 'Ada', address: '1 Loop Lane' } }),
  });
  expect(res.status).toBe(201);
  return CreatedOrder.parse(await res.json());
}

async function statusOf(url: string, order: CreatedOrder): Promise<string> {
  const res = await fetch(`${url}/api/v1/orders/${order.id}?token=${order.tracking_token}`);
  return res.status === 200 ? OrderView.parse(await res.json()).status : `http ${res.status}`;
}

async function interrupt(stack: LaunchedStack): Promise<void> {
  stack.handle.child.kill('SIGINT');
  expect(await stack.handle.exited).toBe(0);
  await waitFor(() => stack.pids.every((pid) => !isAlive(pid)), { timeoutMs: 20_000, what: 'every process to exit' });
}

let dataDir = '';
let placed: CreatedOrder[] = [];
let mongoDb = '';

test('stopped with Ctrl-C mid-flight and started again on its data folder, every order is delivered exactly once and stock is conserved', async () => {
  const first = await launchStack({ env: SLOW });
  dataDir = first.dataDir;
  mongoDb = first.mongoDb;
  try {
    // The settings ops commands read: there, and readable by the owner only.
    expect(readLocalStack(dataDir)?.gateway_url).toBe(first.url);
    expect(statSync(stackFilePath(dataDir)).mode & 0o777).toBe(0o600);
    expect(first.lines.map(stackMessage)).toContain(
      `  data         ${dataDir} (kept across restarts; npm start -- --fresh starts afresh)`,
    );

    const stockBefore = await menu(first.url);
    const pizzas = stockBefore.filter((item) => item.category === 'pizza' && item.stock > ORDERS);
    placed = [];
    for (let n = 0; n < ORDERS; n++) placed.push(await place(first.url, pizzas[n % pizzas.length]!));
    const ordered = new Map<string, number>();
    for (let n = 0; n < ORDERS; n++) {
      const id = pizzas[n % pizzas.length]!.id;
      ordered.set(id, (ordered.get(id) ?? 0) + 1);
    }
    const onTheirWay = (await Promise.all(placed.map((o) => statusOf(first.url, o)))).filter((s) => s !== 'delivered');
    expect(onTheirWay.length).toBeGreaterThan(0);
    await interrupt(first);
    expect(readLocalStack(dataDir)).toBeUndefined();

    const second = await launchStack({ env: { ...SLOW, MONGO_DB: mongoDb }, dataDir });
    try {
      await waitFor(
        async () => (await Promise.all(placed.map((o) => statusOf(second.url, o)))).every((s) => s === 'delivered'),
        { timeoutMs: 90_000, intervalMs: 250, what: 'every order placed before the restart to be delivered' },
      );
      const info = readLocalStack(dataDir)!;
      const mongo = await MongoClient.connect(info.mongo_url);
      const redis = new Redis(info.redis_url);
      try {
        const db = mongo.db(info.mongo_db);
        const ids = placed.map((o) => o.id);
        expect(await deliveryCounts(db, redis, ids)).toEqual({ notOne: [], eventsNotOne: [] });
        expect(await badTimelines(db, ids)).toEqual([]);
        // The seed on restart added nothing and reset nothing: stock is what was left, less what was ordered.
        const levels = await stockLevels(db);
        for (const item of stockBefore) expect([item.id, levels.get(item.id)]).toEqual([item.id, item.stock - (ordered.get(item.id) ?? 0)]);
      } finally {
        redis.disconnect();
        await mongo.close();
      }
    } finally {
      await interrupt(second);
    }
  } finally {
    await first.handle.stop(15_000);
  }
}, 300_000);

test('npm start -- --fresh empties the data folder: earlier orders are gone and the menu is seeded anew', async () => {
  expect(placed.length).toBe(ORDERS);
  const fresh = await launchStack({ env: { MONGO_DB: mongoDb }, dataDir, args: ['--fresh'] });
  try {
    expect(fresh.lines.map(stackMessage)).toContain(`data: started afresh in ${dataDir}`);
    // A MongoDB named by MONGO_URL keeps its data outside the folder: --fresh never touches it.
    if (process.env.MONGO_URL) return;
    expect(await statusOf(fresh.url, placed[0]!)).toBe('http 404');
    expect((await menu(fresh.url)).every((item) => item.stock === item.target_stock)).toBe(true);
  } finally {
    await interrupt(fresh);
  }
}, 240_000);
