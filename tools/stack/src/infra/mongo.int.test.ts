import { MongoClient } from 'mongodb';
import { resolveMongo, startMongoLite } from './mongo';

jest.setTimeout(60_000);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function timers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

describe('resolveMongo', () => {
  test('returns a URL the driver runs transactions on, says which MongoDB it is, and stop() leaves nothing behind', async () => {
    const before = timers();
    const lines: string[] = [];
    const mongo = await resolveMongo({ log: (l) => lines.push(l) });
    const pid = 'pid' in mongo && typeof mongo.pid === 'number' ? mongo.pid : undefined;
    try {
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(mongo.kind === 'external' ? 'MONGO_URL' : mongo.kind);
      expect(process.env.MONGO_URL ? mongo.kind === 'external' : mongo.kind !== 'external').toBe(true);
      if (mongo.kind !== 'external') expect(mongo.url).toMatch(/replicaSet=|directConnection=true/);
      const client = await MongoClient.connect(mongo.url);
      try {
        const coll = client.db(`resolve_${Date.now()}`).collection<{ _id: string; n: number }>('c');
        await client.withSession((s) =>
          s.withTransaction(async () => {
            await coll.insertOne({ _id: 'a', n: 1 }, { session: s });
            await coll.updateOne({ _id: 'a' }, { $inc: { n: 1 } }, { session: s });
          }),
        );
        expect(await coll.findOne({ _id: 'a' })).toEqual({ _id: 'a', n: 2 });
        await coll.drop();
      } finally {
        await client.close();
      }
    } finally {
      await mongo.stop();
    }
    if (pid !== undefined) expect(alive(pid)).toBe(false);
    expect(timers()).toBeLessThanOrEqual(before);
  });

  test('the stand-in runs as a child process that stop() ends', async () => {
    const lite = await startMongoLite();
    try {
      expect(lite.kind).toBe('mongo-lite');
      expect(lite.pid).toBeDefined();
      expect(lite.pid).not.toBe(process.pid);
      expect(alive(lite.pid as number)).toBe(true);
      const client = await MongoClient.connect(lite.url);
      try {
        expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
      } finally {
        await client.close();
      }
    } finally {
      // Also on a failed assertion above: the stand-in must not outlive the test.
      await lite.stop();
    }
    expect(alive(lite.pid as number)).toBe(false);
  });
});
