import { useMongo } from './support/harness';

// serverStatus().opcounters, as the load benchmark reads them to count MongoDB operations per order.
// Counters may come back as int32, double or Long, hence Number().
type Counters = Record<string, unknown>;

describe('serverStatus opcounters', () => {
  const m = useMongo();
  const counters = async (): Promise<Counters> =>
    ((await m.db.admin().command({ serverStatus: 1 })).opcounters as Counters | undefined) ?? {};

  test('count inserted documents, update and delete statements, finds and other commands', async () => {
    const items = m.db.collection<{ _id: number; n: number }>('opcounted');
    const before = await counters();
    await items.insertMany([
      { _id: 1, n: 0 },
      { _id: 2, n: 0 },
      { _id: 3, n: 0 },
    ]);
    await items.updateOne({ _id: 1 }, { $inc: { n: 1 } });
    await items.deleteOne({ _id: 2 });
    await items.find({}).toArray();
    await m.db.command({ ping: 1 });
    const after = await counters();
    const delta = (op: string) => Number(after[op] ?? 0) - Number(before[op] ?? 0);
    expect({
      insert: delta('insert'),
      update: delta('update'),
      delete: delta('delete'),
      query: delta('query'),
    }).toEqual({ insert: 3, update: 1, delete: 1, query: 1 });
    // ping and the closing serverStatus at least; a real server may add its own.
    expect(delta('command')).toBeGreaterThanOrEqual(2);
  });
});
