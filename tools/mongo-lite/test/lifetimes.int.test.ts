// Time-driven behaviour: TTL expiry and the transaction lifetime limit.
import { MongoClient } from 'mongodb';
import { start, type RunningServer } from '../src/server';
import { EXTERNAL, errorCode, useMongo, waitFor } from './support/harness';

describe('TTL indexes', () => {
  const m = useMongo();

  test('when a TTL index covers a past date, then the document is removed by the TTL sweep', async () => {
    const sessions = m.db.collection<{ _id: string; expiresAt?: Date; createdAt?: Date }>('ttl_sessions');
    await sessions.createIndex({ createdAt: 1 }, { expireAfterSeconds: 1 });
    await sessions.insertMany([
      { _id: 'old', createdAt: new Date(Date.now() - 60_000) },
      { _id: 'fresh', createdAt: new Date(Date.now() + 3_600_000) },
      { _id: 'no-date' },
    ]);
    // mongod's TTL monitor runs once a minute; mongo-lite's every second.
    await waitFor(
      async () => (await sessions.countDocuments({ _id: 'old' })) === 0,
      'the expired document to go',
      EXTERNAL ? 120_000 : 10_000,
    );
    expect((await sessions.find().sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([
      'fresh',
      'no-date',
    ]);
  }, 150_000);
});

// The lifetime limit is a server parameter; only a server we start can be given a short one.
const lifetimeSuite = EXTERNAL ? describe.skip : describe;

lifetimeSuite('transaction lifetime limit', () => {
  let server: RunningServer;
  let client: MongoClient;
  beforeAll(async () => {
    server = await start({ port: 0, transactionLifetimeLimitSeconds: 1 });
    client = await MongoClient.connect(server.uri);
  });
  afterAll(async () => {
    await client.close();
    await server.stop();
  });

  test('when a transaction stays open past the limit, then it is aborted and its locks are released', async () => {
    const coll = client.db('lifetime').collection<{ _id: number; n: number }>('c');
    await coll.insertOne({ _id: 1, n: 0 });
    const s = client.startSession();
    try {
      s.startTransaction();
      await coll.updateOne({ _id: 1 }, { $inc: { n: 1 } }, { session: s });
      // A plain write waits for the transaction's lock, which the lifetime sweep releases.
      await coll.updateOne({ _id: 1 }, { $inc: { n: 10 } });
      const late = await coll.findOne({ _id: 1 }, { session: s }).catch((e: unknown) => e);
      expect(errorCode(late)).toBe(251);
      expect((await coll.findOne({ _id: 1 }))?.n).toBe(10);
    } finally {
      await s.abortTransaction().catch(() => undefined);
      await s.endSession();
    }
  });
});
