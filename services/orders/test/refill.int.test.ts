import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus, inTransaction, STREAMS, writeLocalStack } from '@pizza/shared';
import { refillStock } from '../src/stock-refill/refill-stock';
import { relayUntilPublished } from '../src/stock-refill/relay';
import { ordersOutbox } from '../src/store/collections';
import { waitFor } from '@pizza/shared/testing';
import { menuItem } from './support/stack';
import { runOrdersScript, silentLogger, useRefillStack } from './support/refill-stack';

jest.setTimeout(60_000);

const stack = useRefillStack();
const menuDoc = (id: string, stock: number, targetStock: number) =>
  menuItem(id, stock, { target_stock: targetStock });
const seed = () =>
  stack.menu.insertMany([
    menuDoc('margherita', 3, 20),
    menuDoc('cola', 50, 50),
    menuDoc('diavola', 40, 20),
    menuDoc('calzone', 0, 10),
  ]);
const stockOf = async () =>
  Object.fromEntries((await stack.menu.find().toArray()).map((d) => [d._id, d.stock]));

describe('refillStock', () => {
  let bus: EventBus;
  beforeEach(() => {
    bus = new EventBus({ redisUrl: stack.env.REDIS_URL!, logger: silentLogger, name: 'refill-test' });
  });
  afterEach(() => bus.close());

  test('items below target go back to exactly their target, the others are untouched, and one event says so', async () => {
    await seed();
    const outbox = ordersOutbox({ db: stack.mongo.db, bus, logger: silentLogger });
    const now = new Date('2025-03-01T10:00:00.000Z');
    const result = await refillStock({ client: stack.mongo.client, db: stack.mongo.db, outbox, now });
    const items = [
      { item_id: 'calzone', from: 0, to: 10 },
      { item_id: 'margherita', from: 3, to: 20 },
    ];
    expect(result.changes).toEqual(items);
    expect(await stockOf()).toEqual({ margherita: 20, cola: 50, diavola: 40, calzone: 10 });

    await relayUntilPublished(outbox, stack.mongo.db, result.eventId!, { timeoutMs: 10_000 });
    const events = await stack.restockedEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      event_id: result.eventId,
      source: 'orders',
      payload: { items, at: now.toISOString() },
    });
    // The new levels, from the same transaction, for the live menu (each item's first stock write here).
    const levels = await waitFor(async () => (await stack.stockEvents())[0]);
    expect(levels.payload.items).toEqual([
      { item_id: 'calzone', stock: 10, version: 1 },
      { item_id: 'margherita', stock: 20, version: 1 },
    ]);
    expect(await stack.outboxed.countDocuments()).toBe(0);
  });

  test('when run again with nothing below target, then nothing changes and no event is written', async () => {
    await seed();
    const outbox = ordersOutbox({ db: stack.mongo.db, bus, logger: silentLogger });
    const first = await refillStock({ client: stack.mongo.client, db: stack.mongo.db, outbox });
    await relayUntilPublished(outbox, stack.mongo.db, first.eventId!, { timeoutMs: 10_000 });
    const second = await refillStock({ client: stack.mongo.client, db: stack.mongo.db, outbox });
    expect(second).toEqual({ changes: [] });
    expect(await stack.outboxed.countDocuments()).toBe(0);
    // The first run's menu.restocked and stock.changed only.
    expect(await stack.redis.xlen(STREAMS.menu)).toBe(2);
  });

  test('when orders race the refill, then every committed decrement shows in from/to: none is lost', async () => {
    await stack.menu.insertOne(menuDoc('margherita', 5, 100));
    const outbox = ordersOutbox({ db: stack.mongo.db, bus, logger: silentLogger });
    const order = () =>
      inTransaction(stack.mongo.client, async (session) => {
        const r = await stack.menu.updateOne(
          { _id: 'margherita', stock: { $gte: 1 } },
          { $inc: { stock: -1 } },
          { session },
        );
        return r.modifiedCount;
      });
    const [refill, ...orders] = await Promise.all([
      refillStock({ client: stack.mongo.client, db: stack.mongo.db, outbox }),
      ...Array.from({ length: 20 }, order),
    ]);
    const sold = orders.reduce((a, b) => a + b, 0);
    const final = (await stack.menu.findOne({ _id: 'margherita' }))!.stock;
    const [change] = refill.changes;
    expect(change).toBeDefined();
    // sold before the refill (5 - from) plus sold after it (to - final) is every order that committed
    expect(5 - change!.from + (change!.to - final)).toBe(sold);
    expect(change!.to).toBe(100);
  });
});

describe('npm run stock:refill', () => {
  test('prints what changed, publishes menu.restocked and exits 0; a second run prints nothing to refill', async () => {
    await seed();
    const first = await runOrdersScript('refill.ts', [], stack.env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const lines = first.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ITEM\s+FROM\s+TO$/);
    expect(lines[1]).toMatch(/^calzone\s+0\s+10$/);
    expect(lines[2]).toMatch(/^margherita\s+3\s+20$/);
    expect(lines[3]).toBe('refilled 2 item(s)');
    const [event] = await stack.restockedEvents();
    expect(event?.payload.items.map((i) => i.item_id)).toEqual(['calzone', 'margherita']);

    const second = await runOrdersScript('refill.ts', [], stack.env);
    expect(second.code).toBe(0);
    expect(second.stdout.trim()).toBe('nothing to refill');
    expect(await stack.redis.xlen(STREAMS.menu)).toBe(2);
  });

  test('an event an earlier run left in the outbox is published by the next run, even with nothing to refill', async () => {
    await stack.menu.insertOne(menuDoc('cola', 1, 9));
    const bus = new EventBus({ redisUrl: stack.env.REDIS_URL!, logger: silentLogger, name: 'refill-test' });
    const outbox = ordersOutbox({ db: stack.mongo.db, bus, logger: silentLogger });
    const crashed = await refillStock({ client: stack.mongo.client, db: stack.mongo.db, outbox }); // never relayed
    await bus.close();
    const next = await runOrdersScript('refill.ts', [], stack.env);
    expect(next.code).toBe(0);
    expect(next.stdout.trim()).toBe('nothing to refill');
    expect((await stack.restockedEvents()).map((e) => e.event_id)).toEqual([crashed.eventId]);
    expect(await stack.outboxed.countDocuments()).toBe(0);
  });

  test('with a bad or missing variable it exits 1 naming it', async () => {
    const badMongo = await runOrdersScript('refill.ts', [], { ...stack.env, MONGO_URL: 'http://nope' });
    expect(badMongo.code).toBe(1);
    expect(badMongo.stderr).toContain('MONGO_URL');
    const noStack = mkdtempSync(join(tmpdir(), 'refill-no-stack-'));
    try {
      const noRedis = await runOrdersScript('refill.ts', [], {
        MONGO_URL: stack.env.MONGO_URL!,
        MONGO_DB: stack.dbName,
        STACK_DATA_DIR: noStack,
      });
      expect(noRedis.code).toBe(1);
      expect(noRedis.stderr).toContain('REDIS_URL not set and no running stack found');
    } finally {
      rmSync(noStack, { recursive: true, force: true });
    }
    expect(await stockOf()).toEqual({});
  });

  test('with neither URL set it finds the stack npm start runs, and says so', async () => {
    await seed();
    const dataDir = mkdtempSync(join(tmpdir(), 'refill-stack-'));
    try {
      writeLocalStack(dataDir, {
        launcher_pid: process.pid,
        started_at: new Date().toISOString(),
        data_dir: dataDir,
        gateway_url: 'http://localhost:8080',
        redis_url: stack.env.REDIS_URL!,
        mongo_url: stack.env.MONGO_URL!,
        mongo_db: stack.dbName,
        admin_token: 'not-used-by-the-refill',
      });
      const result = await runOrdersScript('refill.ts', [], { STACK_DATA_DIR: dataDir });
      expect(result.stderr).toContain('using the stack of npm start at http://localhost:8080');
      expect(result.code).toBe(0);
      expect((await stack.restockedEvents()).length).toBe(1);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('an argument is refused with exit 2 and the usage, before anything changes', async () => {
    await seed();
    const result = await runOrdersScript('refill.ts', ['--dry-run'], stack.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("stock-refill: Unknown option '--dry-run'");
    expect(result.stderr).toContain('usage: npm run stock:refill');
    expect((await stockOf()).margherita).toBe(3);
  });

  test('while the order service relays the outbox, its relay publishes the refill event and the run still ends', async () => {
    await seed();
    const bus = new EventBus({ redisUrl: stack.env.REDIS_URL!, logger: silentLogger, name: 'orders-relay' });
    const serviceRelay = ordersOutbox({ db: stack.mongo.db, bus, logger: silentLogger });
    serviceRelay.start(); // holds the lease, as the running order service would
    try {
      const run = await runOrdersScript('refill.ts', [], stack.env);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(await stack.restockedEvents()).toHaveLength(1);
      expect(await stack.outboxed.countDocuments()).toBe(0);
    } finally {
      await serviceRelay.stop();
      await bus.close();
    }
  });
});
