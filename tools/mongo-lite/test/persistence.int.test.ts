import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startLite, type LiteProcess } from './support/cli';
import { EXTERNAL, errorCode } from './support/harness';

// Restarting needs the stand-in's own process, which an external MONGO_URL does not give us.
const suite = EXTERNAL ? describe.skip : describe;
if (EXTERNAL)
  console.warn('persistence tests skipped: they restart mongo-lite, and MONGO_URL points elsewhere');

suite('persistence with --dbpath', () => {
  jest.setTimeout(60_000);
  let dir: string;
  const running: LiteProcess[] = [];
  const clients: MongoClient[] = [];

  async function boot(): Promise<{ lite: LiteProcess; client: MongoClient }> {
    const lite = await startLite(['--port', '0', '--dbpath', dir]);
    running.push(lite);
    const client = await MongoClient.connect(lite.uri);
    clients.push(client);
    return { lite, client };
  }

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mongo-lite-test-'));
  });

  afterAll(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
    for (const l of running) await l.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  interface MenuItem {
    _id: number;
    name: string;
    stock: number;
    added?: Date;
  }

  test('when the server stops on SIGTERM and starts again, then data and indexes are back', async () => {
    const first = await boot();
    const db = first.client.db('shop');
    const firstMenu = db.collection<MenuItem>('menu');
    await firstMenu.createIndex({ name: 1 }, { unique: true });
    await firstMenu.insertMany([
      { _id: 1, name: 'Margherita', stock: 5, added: new Date(1_700_000_000_000) },
      { _id: 2, name: 'Funghi', stock: 3 },
      { _id: 3, name: 'Gone', stock: 0 },
    ]);
    await firstMenu.updateOne({ _id: 1 }, { $inc: { stock: -2 } });
    await firstMenu.deleteOne({ _id: 3 });
    await first.client.withSession((s) =>
      s.withTransaction(async () => {
        await firstMenu.updateOne({ _id: 2 }, { $inc: { stock: -1 } }, { session: s });
        await db.collection('orders').insertOne({ item: 2 }, { session: s });
      }),
    );
    await first.client.close();
    expect(await first.lite.kill('SIGTERM')).toBe(0);

    const second = await boot();
    const menu = second.client.db('shop').collection<MenuItem>('menu');
    expect(await menu.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, name: 'Margherita', stock: 3, added: new Date(1_700_000_000_000) },
      { _id: 2, name: 'Funghi', stock: 2 },
    ]);
    expect(await second.client.db('shop').collection('orders').countDocuments()).toBe(1);
    expect((await menu.listIndexes().toArray()).map((i) => i.name).sort()).toEqual(['_id_', 'name_1']);
    expect(
      errorCode(await menu.insertOne({ _id: 9, name: 'Funghi', stock: 1 }).catch((e: unknown) => e)),
    ).toBe(11000);
    await second.client.close();
    expect(await second.lite.kill('SIGTERM')).toBe(0);
  });

  test('when the server is killed outright, then acknowledged writes survive, and a torn tail is ignored', async () => {
    const first = await boot();
    const ledger = (c: MongoClient) => c.db('shop').collection<{ _id: string; n: number }>('ledger');
    await ledger(first.client).insertOne({ _id: 'acked', n: 1 });
    expect(await first.lite.kill('SIGKILL')).toBe('SIGKILL');
    appendFileSync(path.join(dir, 'journal.bson'), Buffer.from([0x40, 0, 0, 0, 3, 1, 2])); // half a record

    const second = await boot();
    expect(await ledger(second.client).findOne({ _id: 'acked' })).toEqual({ _id: 'acked', n: 1 });
    expect(await second.client.db('shop').collection('menu').countDocuments()).toBe(2);
    await second.client.db('shop').dropDatabase();
    await second.client.close();
    expect(await second.lite.kill('SIGINT')).toBe(0);

    const third = await boot();
    expect(
      (await third.client.db('admin').admin().listDatabases()).databases.map((d) => d.name),
    ).not.toContain('shop');
  });
});
