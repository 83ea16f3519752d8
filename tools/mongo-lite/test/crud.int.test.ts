import { ObjectId } from 'mongodb';
import { errorCode, useMongo } from './support/harness';

interface Item {
  _id: string;
  name: string;
  price: number;
  stock: number;
  tags?: string[];
  created?: Date;
}

describe('CRUD and the operators the services use', () => {
  const m = useMongo();
  const items = () => m.db.collection<Item>('items');

  beforeEach(async () => {
    await items().deleteMany({});
    await items().insertMany([
      { _id: 'margherita', name: 'Margherita', price: 800, stock: 5, tags: ['veg'] },
      { _id: 'pepperoni', name: 'Pepperoni', price: 950, stock: 0 },
      { _id: 'funghi', name: 'Funghi', price: 900, stock: 2, tags: ['veg'] },
    ]);
  });

  test('insertOne generates an ObjectId and findOne finds by it', async () => {
    const orders = m.db.collection<{ _id?: ObjectId; total: number }>('orders');
    const { insertedId } = await orders.insertOne({ total: 1200 });
    expect(insertedId).toBeInstanceOf(ObjectId);
    const found = await orders.findOne({ _id: new ObjectId(insertedId.toHexString()) });
    expect(found).toEqual({ _id: insertedId, total: 1200 });
    expect(await orders.findOne({ _id: new ObjectId() })).toBeNull();
  });

  test('find with $gte, $in and $lt, sorted, skipped and limited', async () => {
    const cheapInStock = await items()
      .find({ stock: { $gte: 1 }, price: { $lt: 1000 } })
      .sort({ price: -1 })
      .toArray();
    expect(cheapInStock.map((i) => i._id)).toEqual(['funghi', 'margherita']);
    const byIds = await items()
      .find({ _id: { $in: ['pepperoni', 'funghi', 'nope'] } })
      .sort({ _id: 1 })
      .toArray();
    expect(byIds.map((i) => i._id)).toEqual(['funghi', 'pepperoni']);
    const page = await items().find({}).sort({ price: 1 }).skip(1).limit(1).toArray();
    expect(page.map((i) => i._id)).toEqual(['funghi']);
  });

  test('projection includes and excludes fields', async () => {
    const doc = await items().findOne({ _id: 'margherita' }, { projection: { name: 1, _id: 0 } });
    expect(doc).toEqual({ name: 'Margherita' });
    const without = await items().findOne({ _id: 'funghi' }, { projection: { tags: 0 } });
    expect(without).toEqual({ _id: 'funghi', name: 'Funghi', price: 900, stock: 2 });
  });

  test('$set, $inc and $push update in place', async () => {
    const res = await items().updateOne(
      { _id: 'margherita' },
      { $set: { price: 850 }, $inc: { stock: 3 }, $push: { tags: 'classic' } },
    );
    expect(res.matchedCount).toBe(1);
    expect(res.modifiedCount).toBe(1);
    expect(await items().findOne({ _id: 'margherita' })).toEqual({
      _id: 'margherita',
      name: 'Margherita',
      price: 850,
      stock: 8,
      tags: ['veg', 'classic'],
    });
  });

  test('$inc on an int32 keeps an integer', async () => {
    await items().updateOne({ _id: 'funghi' }, { $inc: { stock: -1 } });
    const doc = await items().findOne({ _id: 'funghi' });
    expect(doc?.stock).toBe(1);
    expect(Number.isInteger(doc?.stock)).toBe(true);
  });

  test('a conditional $inc guarded by $gte only applies while the guard holds', async () => {
    const take = (n: number) =>
      items().findOneAndUpdate(
        { _id: 'funghi', stock: { $gte: n } },
        { $inc: { stock: -n } },
        { returnDocument: 'after' },
      );
    expect((await take(2))?.stock).toBe(0);
    expect(await take(1)).toBeNull();
    expect((await items().findOne({ _id: 'funghi' }))?.stock).toBe(0);
  });

  test("findOneAndUpdate returns the document before or 'after'", async () => {
    const before = await items().findOneAndUpdate({ _id: 'pepperoni' }, { $set: { stock: 4 } });
    expect(before?.stock).toBe(0);
    const after = await items().findOneAndUpdate(
      { _id: 'pepperoni' },
      { $inc: { stock: 1 } },
      { returnDocument: 'after' },
    );
    expect(after?.stock).toBe(5);
  });

  test('findOneAndUpdate with sort picks the first by that order, and upserts', async () => {
    const top = await items().findOneAndUpdate(
      {},
      { $set: { tags: ['top'] } },
      { sort: { price: -1 }, returnDocument: 'after' },
    );
    expect(top?._id).toBe('pepperoni');
    const made = await items().findOneAndUpdate(
      { _id: 'diavola' },
      { $setOnInsert: { name: 'Diavola', price: 1000 }, $inc: { stock: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(made).toEqual({ _id: 'diavola', name: 'Diavola', price: 1000, stock: 1 });
  });

  test('updateOne with upsert inserts once, and $setOnInsert only applies on insert', async () => {
    const first = await items().updateOne(
      { _id: 'quattro' },
      { $setOnInsert: { name: 'Quattro', price: 1100 }, $inc: { stock: 2 } },
      { upsert: true },
    );
    expect(first.upsertedId).toBe('quattro');
    expect(first.upsertedCount).toBe(1);
    const second = await items().updateOne(
      { _id: 'quattro' },
      { $setOnInsert: { name: 'Changed', price: 1 }, $inc: { stock: 2 } },
      { upsert: true },
    );
    expect(second.upsertedCount).toBe(0);
    expect(second.modifiedCount).toBe(1);
    expect(await items().findOne({ _id: 'quattro' })).toEqual({
      _id: 'quattro',
      name: 'Quattro',
      price: 1100,
      stock: 4,
    });
  });

  test('upsert of an ObjectId-less filter generates an _id', async () => {
    const logs = m.db.collection<{ key: string; n: number }>('upsert_logs');
    const res = await logs.updateOne({ key: 'k1' }, { $inc: { n: 1 } }, { upsert: true });
    expect(res.upsertedId).toBeInstanceOf(ObjectId);
    expect(await logs.findOne({ key: 'k1' }, { projection: { _id: 0 } })).toEqual({ key: 'k1', n: 1 });
  });

  test('positional $ and arrayFilters update matching array elements', async () => {
    const carts = m.db.collection<{ _id: string; lines: { sku: string; qty: number }[] }>('carts');
    await carts.insertOne({
      _id: 'c1',
      lines: [
        { sku: 'a', qty: 1 },
        { sku: 'b', qty: 1 },
        { sku: 'c', qty: 5 },
      ],
    });
    await carts.updateOne({ _id: 'c1', 'lines.sku': 'b' }, { $inc: { 'lines.$.qty': 2 } });
    await carts.updateOne(
      { _id: 'c1' },
      { $set: { 'lines.$[big].qty': 0 } },
      { arrayFilters: [{ 'big.qty': { $gte: 5 } }] },
    );
    expect((await carts.findOne({ _id: 'c1' }))?.lines).toEqual([
      { sku: 'a', qty: 1 },
      { sku: 'b', qty: 3 },
      { sku: 'c', qty: 0 },
    ]);
  });

  test('findOneAndDelete removes the first document in sort order and returns it projected', async () => {
    const removed = await items().findOneAndDelete(
      { stock: { $gte: 1 } },
      { sort: { price: -1 }, projection: { name: 1 } },
    );
    expect(removed).toEqual({ _id: 'funghi', name: 'Funghi' });
    expect(await items().countDocuments()).toBe(2);
  });

  test('a cursor closed early is killed without error', async () => {
    const many = m.db.collection<{ i: number }>('kill_many');
    await many.insertMany(Array.from({ length: 20 }, (_, i) => ({ i })));
    const cursor = many.find({}, { batchSize: 2 });
    expect(await cursor.next()).toMatchObject({ i: 0 });
    await cursor.close();
    expect(cursor.killed).toBe(true);
  });

  test('updateMany, replaceOne, deleteOne, deleteMany and countDocuments', async () => {
    const many = await items().updateMany({ tags: 'veg' }, { $set: { veg: true } });
    expect(many.modifiedCount).toBe(2);
    await items().replaceOne({ _id: 'pepperoni' }, { name: 'Pepperoni', price: 990, stock: 1 });
    expect(await items().findOne({ _id: 'pepperoni' })).toEqual({
      _id: 'pepperoni',
      name: 'Pepperoni',
      price: 990,
      stock: 1,
    });
    expect(await items().countDocuments({ veg: true } as never)).toBe(2);
    expect((await items().deleteOne({ _id: 'funghi' })).deletedCount).toBe(1);
    expect((await items().deleteMany({ price: { $gte: 800 } })).deletedCount).toBe(2);
    expect(await items().countDocuments()).toBe(0);
    expect(await items().estimatedDocumentCount()).toBe(0);
  });

  test('dates compare in filters and sort', async () => {
    const events = m.db.collection<{ at: Date; n: number }>('events');
    const t0 = Date.UTC(2024, 0, 1);
    await events.insertMany([0, 1, 2, 3].map((n) => ({ at: new Date(t0 + n * 1000), n })));
    const later = await events
      .find({ at: { $gte: new Date(t0 + 2000) } })
      .sort({ at: -1 })
      .toArray();
    expect(later.map((e) => e.n)).toEqual([3, 2]);
    expect(later[0]?.at).toEqual(new Date(t0 + 3000));
  });

  test('a cursor with a small batchSize returns everything across getMore', async () => {
    const many = m.db.collection<{ i: number }>('many');
    await many.insertMany(Array.from({ length: 250 }, (_, i) => ({ i })));
    const seen: number[] = [];
    for await (const doc of many.find({}, { batchSize: 7 }).sort({ i: 1 })) seen.push(doc.i);
    expect(seen).toEqual(Array.from({ length: 250 }, (_, i) => i));
    const limited = await many
      .find({ i: { $lt: 100 } }, { batchSize: 3 })
      .sort({ i: -1 })
      .limit(10)
      .toArray();
    expect(limited.map((d) => d.i)).toEqual([99, 98, 97, 96, 95, 94, 93, 92, 91, 90]);
  });

  test('aggregate: $match, $unwind, $group, $sort, $project, $lookup, $count', async () => {
    const grouped = await items()
      .aggregate<{ _id: string; n: number; stock: number }>([
        { $match: { tags: { $exists: true } } },
        { $unwind: '$tags' },
        { $group: { _id: '$tags', n: { $sum: 1 }, stock: { $sum: '$stock' } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(grouped).toEqual([{ _id: 'veg', n: 2, stock: 7 }]);
    const orders = m.db.collection('agg_orders');
    await orders.insertMany([
      { item: 'margherita', qty: 2 },
      { item: 'funghi', qty: 1 },
    ]);
    const joined = await orders
      .aggregate([
        { $lookup: { from: 'items', localField: 'item', foreignField: '_id', as: 'pizza' } },
        { $unwind: '$pizza' },
        { $project: { _id: 0, item: 1, cost: { $multiply: ['$qty', '$pizza.price'] } } },
        { $sort: { cost: -1 } },
      ])
      .toArray();
    expect(joined).toEqual([
      { item: 'margherita', cost: 1600 },
      { item: 'funghi', cost: 900 },
    ]);
    const counted = await items()
      .aggregate([{ $match: { stock: { $gte: 1 } } }, { $count: 'n' }])
      .toArray();
    expect(counted).toEqual([{ n: 2 }]);
  });

  test('distinct returns each value once', async () => {
    expect((await items().distinct('tags')).sort()).toEqual(['veg']);
    expect((await items().distinct('price', { stock: { $gte: 1 } })).sort()).toEqual([800, 900]);
  });

  test('a unique index rejects a duplicate with code 11000, keyPattern and keyValue', async () => {
    const users = m.db.collection<{ email: string }>('users');
    await users.createIndex({ email: 1 }, { unique: true });
    await users.insertOne({ email: 'a@example.com' });
    const err = await users.insertOne({ email: 'a@example.com' }).catch((e: unknown) => e);
    expect(errorCode(err)).toBe(11000);
    expect(err).toMatchObject({ keyPattern: { email: 1 }, keyValue: { email: 'a@example.com' } });
    const upd = await users
      .insertOne({ email: 'b@example.com' })
      .then(() =>
        users
          .updateOne({ email: 'b@example.com' }, { $set: { email: 'a@example.com' } })
          .catch((e: unknown) => e),
      );
    expect(errorCode(upd)).toBe(11000);
    const bulk = await users
      .insertMany([{ email: 'c@example.com' }, { email: 'c@example.com' }, { email: 'd@example.com' }], {
        ordered: false,
      })
      .catch((e: unknown) => e);
    expect(errorCode(bulk)).toBe(11000);
    expect(await users.countDocuments({ email: { $in: ['c@example.com', 'd@example.com'] } })).toBe(2);
  });

  test('compound unique index and TTL index are created and listed', async () => {
    const keys = m.db.collection('idem_keys');
    await keys.createIndex({ scope: 1, key: 1 }, { unique: true, name: 'scope_key' });
    await keys.createIndex({ createdAt: 1 }, { expireAfterSeconds: 3600 });
    const indexes = await keys.listIndexes().toArray();
    expect(indexes.map((i) => i.name).sort()).toEqual(['_id_', 'createdAt_1', 'scope_key']);
    expect(indexes.find((i) => i.name === 'createdAt_1')?.expireAfterSeconds).toBe(3600);
    expect(indexes.find((i) => i.name === 'scope_key')?.unique).toBe(true);
    await keys.insertOne({ scope: 'orders', key: 'k', createdAt: new Date() });
    await keys.insertOne({ scope: 'refunds', key: 'k', createdAt: new Date() });
    expect(errorCode(await keys.insertOne({ scope: 'orders', key: 'k' }).catch((e: unknown) => e))).toBe(
      11000,
    );
    await keys.dropIndex('scope_key');
    expect((await keys.listIndexes().toArray()).map((i) => i.name).sort()).toEqual(['_id_', 'createdAt_1']);
  });

  test('collections are listed, created and dropped', async () => {
    await m.db.createCollection('explicit');
    const names = (await m.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['items', 'explicit']));
    const filtered = await m.db.listCollections({ name: 'explicit' }).toArray();
    expect(filtered.map((c) => c.name)).toEqual(['explicit']);
    // Re-creating is an error (48) on older servers and a no-op on newer ones; either way there is one.
    const again = await m.db.createCollection('explicit').catch((e: unknown) => e);
    if (errorCode(again) !== undefined) expect(errorCode(again)).toBe(48);
    expect((await m.db.listCollections({ name: 'explicit' }).toArray()).length).toBe(1);
    expect(await m.db.collection('explicit').drop()).toBe(true);
    expect((await m.db.listCollections({ name: 'explicit' }).toArray()).length).toBe(0);
    const dbs = await m.client.db('admin').admin().listDatabases();
    expect(dbs.databases.map((d) => d.name)).toContain(m.db.databaseName);
  });

  test('an unknown command answers CommandNotFound (59)', async () => {
    const err = await m.db.command({ noSuchCommandAtAll: 1 }).catch((e: unknown) => e);
    expect(errorCode(err)).toBe(59);
    expect(err).toMatchObject({ codeName: 'CommandNotFound' });
  });

  test('ping, buildInfo and hello answer like a replica-set primary', async () => {
    expect(await m.db.command({ ping: 1 })).toMatchObject({ ok: 1 });
    const info = await m.db.admin().buildInfo();
    expect(Number(String(info.version).split('.')[0])).toBeGreaterThanOrEqual(6);
    const hello = await m.db.admin().command({ hello: 1 });
    expect(hello).toMatchObject({ isWritablePrimary: true, logicalSessionTimeoutMinutes: 30 });
    expect(typeof hello.setName).toBe('string');
  });
});
