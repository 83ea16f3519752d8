// The stand-in's own wire handling over a raw socket, and the driver's awaitable hello against it.
import net from 'node:net';
import { Long, MongoClient, UUID } from 'mongodb';
import { decode, type Doc } from '../src/bson';
import { start, type RunningServer } from '../src/server';
import { MessageFramer } from '../src/wire/framing';
import { encodeMsgRequest, readHeader } from '../src/wire/protocol';
import { waitFor } from './support/harness';

function replyBody(msg: Buffer): Doc {
  return decode(msg.subarray(21));
}

describe('mongo-lite on the wire', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await start({ port: 0 });
  });
  afterAll(async () => {
    await server.stop();
  });

  async function exchange(chunks: Buffer[], expected: number): Promise<Buffer[]> {
    const socket = net.connect(server.port, '127.0.0.1');
    const framer = new MessageFramer();
    const replies: Buffer[] = [];
    socket.on('data', (d: Buffer) => replies.push(...framer.push(d)));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    for (const c of chunks) socket.write(c);
    try {
      await waitFor(() => replies.length >= expected, `${expected} replies`);
    } finally {
      socket.destroy();
    }
    return replies;
  }

  test('when frames arrive split and batched, then every request gets its own reply, in order', async () => {
    const ping = encodeMsgRequest(21, { ping: 1, $db: 'admin' });
    const insert = encodeMsgRequest(
      22,
      { insert: 'wire', $db: 'wiretest' },
      { documents: [{ _id: 1 }, { _id: 2 }] },
      1,
    );
    const count = encodeMsgRequest(23, { count: 'wire', $db: 'wiretest' });
    const all = Buffer.concat([ping, insert, count]);
    const chunks = [all.subarray(0, 3), all.subarray(3, ping.length + 5), all.subarray(ping.length + 5)];
    const replies = await exchange(chunks, 3);
    expect(replies.map((r) => readHeader(r).responseTo)).toEqual([21, 22, 23]);
    expect(replyBody(replies[1] as Buffer)).toMatchObject({ n: 2, ok: 1 });
    expect(replyBody(replies[2] as Buffer)).toMatchObject({ n: 2, ok: 1 });
  });

  test('a retried write (same lsid and txnNumber) is answered from memory, not applied twice', async () => {
    const lsid = { id: new UUID() };
    const insert = (requestId: number) =>
      encodeMsgRequest(
        requestId,
        { insert: 'retry', $db: 'wiretest', lsid, txnNumber: Long.fromNumber(1) },
        { documents: [{ _id: 'once' }] },
      );
    const update = (requestId: number) =>
      encodeMsgRequest(
        requestId,
        { update: 'retry', $db: 'wiretest', lsid, txnNumber: Long.fromNumber(2) },
        {
          updates: [{ q: { _id: 'once' }, u: { $inc: { n: 1 } } }],
        },
      );
    const count = encodeMsgRequest(45, { find: 'retry', filter: {}, $db: 'wiretest' });
    const replies = await exchange([insert(41), insert(42), update(43), update(44), count], 5);
    const bodies = replies.map((r) => replyBody(r));
    expect(bodies[0]).toMatchObject({ ok: 1, n: 1 });
    expect(bodies[1]).toMatchObject({ ok: 1, n: 1 });
    expect(bodies[1]?.writeErrors).toBeUndefined();
    expect(bodies[3]).toMatchObject({ ok: 1, n: 1, nModified: 1 });
    expect((bodies[4]?.cursor as Doc).firstBatch).toEqual([{ _id: 'once', n: 1 }]);
  });

  test('an unknown command answers code 59 CommandNotFound', async () => {
    const [reply] = await exchange([encodeMsgRequest(31, { frobnicate: 1, $db: 'admin' })], 1);
    expect(replyBody(reply as Buffer)).toMatchObject({ ok: 0, code: 59, codeName: 'CommandNotFound' });
  });

  test('the driver monitors with awaitable hello without spinning or failing heartbeats', async () => {
    const client = new MongoClient(server.uri, { heartbeatFrequencyMS: 500 });
    let awaited = 0;
    let failed = 0;
    client.on('serverHeartbeatSucceeded', (e) => {
      if (e.awaited) awaited++;
    });
    client.on('serverHeartbeatFailed', () => failed++);
    try {
      await client.connect();
      const started = Date.now();
      await waitFor(() => awaited >= 3, 'three awaited heartbeats', 15_000);
      // Three streamed replies at maxAwaitTimeMS=500 take about a second; a spinning monitor would be instant.
      expect(Date.now() - started).toBeGreaterThanOrEqual(700);
      expect(failed).toBe(0);
      expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
    } finally {
      await client.close();
    }
  });
});
