import { EventBus, inTransaction, STREAMS } from '@pizza/shared';
import { OPS_OUTBOX, opsOutbox } from '../src/outbox';
import { refillStock } from '../src/refill';
import { relayUntilPublished } from '../src/relay';
import { menuDoc, runCli, silentLogger } from './helpers';
import { useStack } from './infra';

jest.setTimeout(60_000);

const stack = useStack();
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
    const outbox = opsOutbox({ db: stack.mongo.db, bus, logger: silentLogger });
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
      source: 'ops',
      payload: { items, at: now.toISOString() },
    });
    expect(await stack.mongo.db.collection(OPS_OUTBOX.collection).countDocuments()).toBe(0);
  });

  test('when run again with nothing below target, then nothing changes and no event is written', async () => {
    await seed();
    const outbox = opsOutbox({ db: stack.mongo.db, bus, logger: silentLogger });
    const first = await refillStock({ client: stack.mongo.client, db: stack.mongo.db, outbox });
    await relayUntilPublished(outbox, stack.mongo.db, first.eventId!, { timeoutMs: 10_000 });
    const second = await refillStock({ client: stack.mongo.client, db: stack.mongo.db, outbox });
    expect(second).toEqual({ changes: [] });
    expect(await stack.mongo.db.collection(OPS_OUTBOX.collection).countDocuments()).toBe(0);
    expect(await stack.redis.xlen(STREAMS.menu)).toBe(1);
  });

  test('when orders race the refill, then every committed decrement shows in from/to: none is lost', async () => {
    await stack.menu.insertOne(menuDoc('margherita', 5, 100));
    const outbox = opsOutbox({ db: stack.mongo.db, bus, logger: silentLogger });
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
    const first = await runCli('refill-cli.ts', [], stack.env, 60_000);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const lines = first.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ITEM\s+FROM\s+TO$/);
    expect(lines[1]).toMatch(/^calzone\s+0\s+10$/);
    expect(lines[2]).toMatch(/^margherita\s+3\s+20$/);
    expect(lines[3]).toBe('refilled 2 item(s)');
    const [event] = await stack.restockedEvents();
    expect(event?.payload.items.map((i) => i.item_id)).toEqual(['calzone', 'margherita']);

    const second = await runCli('refill-cli.ts', [], stack.env, 60_000);
    expect(second.code).toBe(0);
    expect(second.stdout.trim()).toBe('nothing to refill');
    expect(await stack.redis.xlen(STREAMS.menu)).toBe(1);
  });

  test('an event an earlier run left in the outbox is published by the next run, even with nothing to refill', async () => {
    await stack.menu.insertOne(menuDoc('cola', 1, 9));
    const bus = new EventBus({ redisUrl: stack.env.REDIS_URL!, logger: silentLogger, name: 'refill-test' });
    const outbox = opsOutbox({ db: stack.mongo.db, bus, logger: silentLogger });
    const crashed = await refillStock({ client: stack.mongo.client, db: stack.mongo.db, outbox }); // never relayed
    await bus.close();
    const next = await runCli('refill-cli.ts', [], stack.env, 60_000);
    expect(next.code).toBe(0);
    expect(next.stdout.trim()).toBe('nothing to refill');
    expect((await stack.restockedEvents()).map((e) => e.event_id)).toEqual([crashed.eventId]);
    expect(await stack.mongo.db.collection(OPS_OUTBOX.collection).countDocuments()).toBe(0);
  });

  test('with a bad or missing variable it exits 1 naming it', async () => {
    const badMongo = await runCli('refill-cli.ts', [], { ...stack.env, MONGO_URL: 'http://nope' });
    expect(badMongo.code).toBe(1);
    expect(badMongo.stderr).toContain('MONGO_URL');
    const noRedis = await runCli('refill-cli.ts', [], {
      MONGO_URL: stack.env.MONGO_URL!,
      MONGO_DB: stack.dbName,
    });
    expect(noRedis.code).toBe(1);
    expect(noRedis.stderr).toContain('REDIS_URL');
    expect(await stockOf()).toEqual({});
  });
});
