import { MongoServerError, type ClientSession } from 'mongodb';
import { EXTERNAL, errorCode, useMongo } from './support/harness';

interface Stock {
  _id: string;
  stock: number;
}

describe('multi-document transactions', () => {
  const m = useMongo();
  const stock = () => m.db.collection<Stock>('stock');
  const ledger = () => m.db.collection<{ _id?: unknown; item: string; qty: number }>('ledger');
  const sessions: ClientSession[] = [];
  const session = () => {
    const s = m.client.startSession();
    sessions.push(s);
    return s;
  };

  beforeEach(async () => {
    await stock().deleteMany({});
    await ledger().deleteMany({});
    await stock().insertOne({ _id: 'dough', stock: 10 });
  });

  afterEach(async () => {
    for (const s of sessions.splice(0)) await s.endSession();
  });

  test('when a transaction commits, then all its writes appear together', async () => {
    const s = session();
    s.startTransaction();
    await stock().updateOne({ _id: 'dough' }, { $inc: { stock: -2 } }, { session: s });
    await ledger().insertOne({ item: 'dough', qty: 2 }, { session: s });
    expect((await stock().findOne({ _id: 'dough' }))?.stock).toBe(10);
    expect(await ledger().countDocuments()).toBe(0);
    await s.commitTransaction();
    expect((await stock().findOne({ _id: 'dough' }))?.stock).toBe(8);
    expect(await ledger().countDocuments()).toBe(1);
  });

  test('when a transaction aborts, then none of its writes remain', async () => {
    const s = session();
    s.startTransaction();
    await stock().updateOne({ _id: 'dough' }, { $inc: { stock: -2 } }, { session: s });
    await ledger().insertOne({ item: 'dough', qty: 2 }, { session: s });
    expect((await stock().findOne({ _id: 'dough' }, { session: s }))?.stock).toBe(8);
    await s.abortTransaction();
    expect((await stock().findOne({ _id: 'dough' }))?.stock).toBe(10);
    expect(await ledger().countDocuments()).toBe(0);
  });

  test('reads inside a transaction see its snapshot plus its own writes', async () => {
    const s = session();
    s.startTransaction();
    expect((await stock().findOne({ _id: 'dough' }, { session: s }))?.stock).toBe(10);
    await stock().updateOne({ _id: 'dough' }, { $set: { stock: 99 } });
    await ledger().insertOne({ item: 'outside', qty: 1 });
    expect((await stock().findOne({ _id: 'dough' }, { session: s }))?.stock).toBe(10);
    expect(await ledger().countDocuments({}, { session: s })).toBe(0);
    await ledger().insertOne({ item: 'inside', qty: 1 }, { session: s });
    expect((await ledger().find({}, { session: s }).toArray()).map((d) => d.item)).toEqual(['inside']);
    await s.commitTransaction();
    expect((await ledger().find({}).sort({ item: 1 }).toArray()).map((d) => d.item)).toEqual([
      'inside',
      'outside',
    ]);
  });

  test('when two transactions write one document, then the later writer gets a WriteConflict', async () => {
    const a = session();
    const b = session();
    a.startTransaction();
    b.startTransaction();
    await stock().updateOne({ _id: 'dough' }, { $inc: { stock: -1 } }, { session: a });
    const err = await stock()
      .updateOne({ _id: 'dough' }, { $inc: { stock: -1 } }, { session: b })
      .catch((e: unknown) => e);
    expect(errorCode(err)).toBe(112);
    expect(err instanceof MongoServerError && err.hasErrorLabel('TransientTransactionError')).toBe(true);
    await a.commitTransaction();
    await b.abortTransaction().catch(() => undefined);
    expect((await stock().findOne({ _id: 'dough' }))?.stock).toBe(9);
  });

  test('a transaction that writes a document committed after its snapshot gets a WriteConflict', async () => {
    const a = session();
    a.startTransaction();
    await stock().findOne({ _id: 'dough' }, { session: a });
    await stock().updateOne({ _id: 'dough' }, { $inc: { stock: -5 } });
    const err = await stock()
      .updateOne({ _id: 'dough' }, { $inc: { stock: -1 } }, { session: a })
      .catch((e: unknown) => e);
    expect(errorCode(err)).toBe(112);
    const next = await stock()
      .findOne({ _id: 'dough' }, { session: a })
      .catch((e: unknown) => e);
    expect(errorCode(next)).toBe(251);
    await a.abortTransaction().catch(() => undefined);
    expect((await stock().findOne({ _id: 'dough' }))?.stock).toBe(5);
  });

  test('withTransaction retries a conflicting transaction to success', async () => {
    const a = session();
    a.startTransaction();
    await stock().updateOne({ _id: 'dough' }, { $inc: { stock: -1 } }, { session: a });
    const b = session();
    let attempts = 0;
    const retried = b.withTransaction(async () => {
      attempts++;
      if (attempts === 1) {
        // The first attempt meets a's open write; commit a so the retry can succeed.
        const err = await stock()
          .updateOne({ _id: 'dough' }, { $inc: { stock: -3 } }, { session: b })
          .catch((e: unknown) => e);
        await a.commitTransaction();
        throw err;
      }
      await stock().updateOne({ _id: 'dough' }, { $inc: { stock: -3 } }, { session: b });
    });
    await retried;
    expect(attempts).toBe(2);
    expect((await stock().findOne({ _id: 'dough' }))?.stock).toBe(6);
  });

  test('when 100 transactions each take one of 10 units at once, then exactly 10 succeed', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const s = session();
        let took = false;
        await s.withTransaction(async () => {
          took = false;
          const doc = await stock().findOneAndUpdate(
            { _id: 'dough', stock: { $gte: 1 } },
            { $inc: { stock: -1 } },
            { session: s, returnDocument: 'after' },
          );
          if (!doc) return;
          if (doc.stock < 0) throw new Error('stock went negative');
          await ledger().insertOne({ item: `order-${i}`, qty: 1 }, { session: s });
          took = true;
        });
        return took;
      }),
    );
    expect(outcomes.filter(Boolean)).toHaveLength(10);
    expect((await stock().findOne({ _id: 'dough' }))?.stock).toBe(0);
    expect(await ledger().countDocuments()).toBe(10);
  });

  test('two transactions inserting one unique key: the later fails, and after commit it is a duplicate', async () => {
    const keys = m.db.collection<{ key: string }>('txn_keys');
    await keys.createIndex({ key: 1 }, { unique: true });
    const a = session();
    const b = session();
    a.startTransaction();
    b.startTransaction();
    await keys.insertOne({ key: 'k1' }, { session: a });
    const err = await keys.insertOne({ key: 'k1' }, { session: b }).catch((e: unknown) => e);
    expect([112, 11000]).toContain(errorCode(err));
    await b.abortTransaction().catch(() => undefined);
    await a.commitTransaction();
    const c = session();
    c.startTransaction();
    const dup = await keys.insertOne({ key: 'k1' }, { session: c }).catch((e: unknown) => e);
    expect(errorCode(dup)).toBe(11000);
    await c.abortTransaction().catch(() => undefined);
    expect(await keys.countDocuments({ key: 'k1' })).toBe(1);
  });

  test('a non-transactional write to a document an open transaction wrote waits for it, then applies', async () => {
    const a = session();
    a.startTransaction();
    await stock().updateOne({ _id: 'dough' }, { $inc: { stock: -1 } }, { session: a });
    const outside = stock().updateOne({ _id: 'dough' }, { $inc: { stock: 100 } });
    await a.commitTransaction();
    expect((await outside).modifiedCount).toBe(1);
    expect((await stock().findOne({ _id: 'dough' }))?.stock).toBe(109);
  });

  test('transactions work through a direct connection too', async () => {
    if (EXTERNAL) return; // the URL shape of an external deployment is not ours to rewrite
    const url = new URL(m.uri);
    url.searchParams.delete('replicaSet');
    url.searchParams.set('directConnection', 'true');
    const direct = await m.newClient(url.toString());
    const coll = direct.db(m.db.databaseName).collection<Stock>('stock');
    await direct.withSession((s) =>
      s.withTransaction(async () => {
        await coll.updateOne({ _id: 'dough' }, { $inc: { stock: -4 } }, { session: s });
        await ledger().insertOne({ item: 'direct', qty: 4 });
      }),
    );
    expect((await stock().findOne({ _id: 'dough' }))?.stock).toBe(6);
  });

  test('a retried write (same session and txnNumber) is applied once', async () => {
    // The driver retries a write once on a network error; the server must recognise the retry.
    const res = await ledger().insertOne({ item: 'retry', qty: 1 }, { session: session() });
    expect(res.acknowledged).toBe(true);
    expect(await ledger().countDocuments({ item: 'retry' })).toBe(1);
  });
});
