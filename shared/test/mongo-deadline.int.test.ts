import type { ClientSession, CommandStartedEvent } from 'mongodb';
import { resolveMongo, type MongoInstance } from '@pizza/stack';
import { connectMongo, inTransaction, isInfraFailure, type MongoHandle } from '../src';
import { uniqueDbName } from '../src/testing';

/** Every MongoDB operation of a service's handle carries the operation deadline, and a server that runs past it ends it. */
const OPERATION_MS = 400;
let mongo: MongoInstance;
let handle: MongoHandle;
const started: CommandStartedEvent[] = [];

beforeAll(async () => {
  mongo = await resolveMongo();
  const url = new URL(mongo.url);
  url.searchParams.set('monitorCommands', 'true');
  handle = await connectMongo(url.toString(), uniqueDbName('deadline'), 'deadline-test', {
    operationMs: OPERATION_MS,
  });
  handle.client.on('commandStarted', (event) => started.push(event));
}, 120_000);
afterAll(async () => {
  await handle.db.dropDatabase();
  await handle.close();
  await mongo.stop();
});

/** The `maxTimeMS` of each command `work` sends, by command name. */
async function deadlinesDuring(work: () => Promise<unknown>): Promise<[string, unknown][]> {
  started.length = 0;
  await work();
  return started.map((e) => [e.commandName, e.command.maxTimeMS]);
}

test('every CRUD command, in a transaction or not, and the commit carry maxTimeMS = MONGO_OPERATION_TIMEOUT_MS', async () => {
  const c = handle.db.collection<{ _id: string; n: number }>('things');
  const crud = async (session?: ClientSession) => {
    const s = { session };
    await c.insertOne({ _id: `a${session ? 1 : 0}`, n: 1 }, s);
    await c.insertMany([{ _id: `b${session ? 1 : 0}`, n: 1 }], s);
    await c.updateOne({ _id: 'a0' }, { $inc: { n: 1 } }, s);
    await c.updateMany({}, { $inc: { n: 1 } }, s);
    await c.bulkWrite([{ updateOne: { filter: { _id: 'a0' }, update: { $inc: { n: 1 } } } }], s);
    await c.findOneAndUpdate({ _id: 'a0' }, { $inc: { n: 1 } }, s);
    await c.find({}, s).toArray();
    await c.findOne({ _id: 'a0' }, s);
    await c.aggregate([{ $match: {} }], s).toArray();
    await c.countDocuments({}, s);
    await c.deleteOne({ _id: `b${session ? 1 : 0}` }, s);
  };
  const outside = await deadlinesDuring(() => crud());
  const inside = await deadlinesDuring(() => inTransaction(handle.client, crud));

  expect(outside.length).toBeGreaterThanOrEqual(11);
  for (const [name, maxTimeMS] of outside) expect([name, maxTimeMS]).toEqual([name, OPERATION_MS]);
  expect(inside.map(([name]) => name)).toContain('commitTransaction');
  for (const [name, maxTimeMS] of inside) expect([name, maxTimeMS]).toEqual([name, OPERATION_MS]);
  // A call's own limit wins.
  const own = await deadlinesDuring(() => c.findOne({ _id: 'a0' }, { maxTimeMS: 50 }));
  expect(own).toEqual([['find', 50]]);
});

test('when a write waits on a lock longer than the operation deadline, then the server ends it with MaxTimeMSExpired, an infrastructure failure', async () => {
  const c = handle.db.collection<{ _id: string; n: number }>('locked');
  await c.insertOne({ _id: 'x', n: 0 });
  const holder = handle.client.startSession();
  try {
    holder.startTransaction();
    await c.updateOne({ _id: 'x' }, { $inc: { n: 1 } }, { session: holder });
    const startedAt = performance.now();
    const error = await c.updateOne({ _id: 'x' }, { $inc: { n: 10 } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 50 });
    expect(isInfraFailure(error)).toBe(true);
    expect(performance.now() - startedAt).toBeLessThan(OPERATION_MS + 2_000);
  } finally {
    await holder.abortTransaction().catch(() => undefined);
    await holder.endSession();
  }
});
