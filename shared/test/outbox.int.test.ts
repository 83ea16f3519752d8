import { MongoClient, type Db } from 'mongodb';
import { resolveMongo, type MongoInstance } from '@pizza/stack';
import { STREAMS } from '../src/contract';
import { inTransaction, Outbox, OUTBOX_COLLECTION, type EventBus, type RawEntry } from '../src';
import { commandsDuring, uniqueDbName, waitFor } from '../src/testing';
import { orderSimulate, silentLogger, useRedis } from './helpers';

/** The outbox relay on real Redis and MongoDB: the fast path, the poll behind it, and their order. */
const redis = useRedis();
let mongo: MongoInstance;
let client: MongoClient;
let db: Db;
const outboxes: Outbox[] = [];

beforeAll(async () => {
  mongo = await resolveMongo();
  client = await MongoClient.connect(mongo.url, { monitorCommands: true });
}, 120_000);
beforeEach(() => {
  db = client.db(uniqueDbName('outbox'));
});
afterEach(async () => {
  await Promise.all(outboxes.splice(0).map((o) => o.stop()));
  await db.dropDatabase();
});
afterAll(async () => {
  await client.close();
  await mongo.stop();
});

/** An outbox whose poll would come only after the test's deadline: what it publishes sooner came from memory. */
function outbox(bus: Pick<EventBus, 'publishRaw'>, pollMs = 60_000): Outbox {
  const made = new Outbox({ db, bus, logger: silentLogger, name: 'test', pollMs });
  outboxes.push(made);
  return made;
}

async function commit(into: Outbox, count: number): Promise<string[]> {
  const events = Array.from({ length: count }, () => orderSimulate());
  await inTransaction(client, (session) => into.add(session, events));
  return events.map((e) => e.event_id);
}

async function published(): Promise<string[]> {
  const entries = await redis.client.xrange(STREAMS.simulateOrder, '-', '+');
  return entries.map(([, fields]) => fields[fields.indexOf('event_id') + 1]!);
}

const outboxEmpty = async () => (await db.collection(OUTBOX_COLLECTION).countDocuments()) === 0;

test('committed events are published from memory at once, without reading the outbox back, then deleted', async () => {
  const relay = outbox(redis.bus());
  relay.start();
  await waitFor(() => relay['mustPoll'] === false, { what: 'the start-up poll' });

  const commands = await commandsDuring(client, async () => {
    const ids = await commit(relay, 3);
    relay.wake();
    await waitFor(async () => (await published()).length === 3, { what: 'three events on the stream' });
    expect(await published()).toEqual(ids);
    await waitFor(outboxEmpty, { what: 'the outbox emptied' });
  });
  expect(commands.filter((name) => name === 'find')).toEqual([]);
  expect(commands.filter((name) => name === 'delete')).toHaveLength(1);
});

test('events committed by a process that died before publishing are published by the next relay', async () => {
  const ids = await commit(outbox(redis.bus()), 2); // never started: nothing leaves memory, as after a crash
  expect(await published()).toEqual([]);

  outbox(redis.bus()).start();

  await waitFor(async () => (await published()).length === 2, { what: 'the left entries published' });
  expect(await published()).toEqual(ids);
  await waitFor(outboxEmpty, { what: 'the outbox emptied' });
});

test('after a failed fast publish, later commits wait for the poll to publish the failed ones first', async () => {
  const bus = redis.bus();
  let failures = 0;
  const failingOnce: Pick<EventBus, 'publishRaw'> = {
    publishRaw: (entries: readonly RawEntry[]) =>
      failures++ === 0 ? Promise.reject(new Error('Redis went away')) : bus.publishRaw(entries),
  };
  const relay = outbox(failingOnce, 300);
  relay.start();
  await waitFor(() => relay['mustPoll'] === false, { what: 'the start-up poll' });

  const first = await commit(relay, 2);
  relay.wake();
  await waitFor(() => failures > 0, { what: 'the failed publish' });
  const second = await commit(relay, 1);
  relay.wake();

  await waitFor(async () => (await published()).length >= 3, {
    timeoutMs: 10_000,
    what: 'all three published',
  });
  expect(await published()).toEqual([...first, ...second]);
  await waitFor(outboxEmpty, { what: 'the outbox emptied' });
  expect(await published()).toHaveLength(3); // the queued one was not also polled
});
