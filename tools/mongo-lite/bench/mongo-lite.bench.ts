// ops/s of mongo-lite through the official driver: insertOne, findOneAndUpdate with a $gte guard, a find with
// a projection (as the order path reads the menu), and a two-write transaction (guarded stock decrement +
// order insert) via withTransaction.
// The server runs as a child process (as resolveMongo starts it), so client and server do not share a CPU loop.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { MongoClient, type Collection } from 'mongodb';
import { readUsage, usageSince, type ProcUsage } from './proc-usage';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ITEMS = 1000;
const USAGE =
  'usage: npm run bench:mongo-lite (no arguments; environment: BENCH_CONCURRENCY, BENCH_SECONDS, BENCH_SERVER_NODE_ARGS)';

interface Result {
  name: string;
  ops: number;
  seconds: number;
  p50: number;
  p99: number;
  retries?: number;
  /** The server process's CPU time and write syscalls over the run (Linux only). */
  server?: ProcUsage;
}

async function startServer(): Promise<{ uri: string; pid: number; stop(): Promise<void> }> {
  const bin = path.join(__dirname, '..', 'bin', 'mongo-lite.js');
  // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server alone.
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, bin, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    if (line.includes('"listening"')) {
      const { uri } = JSON.parse(line) as { uri: string };
      child.stdout.resume();
      return {
        uri,
        pid: child.pid ?? 0,
        stop: async () => {
          child.kill('SIGTERM');
          await once(child, 'exit');
        },
      };
    }
  }
  throw new Error('mongo-lite exited before listening');
}

async function measure(
  name: string,
  serverPid: number,
  op: (worker: number, i: number) => Promise<void>,
): Promise<Result> {
  const latencies: number[] = [];
  const before = readUsage(serverPid);
  const deadline = Date.now() + SECONDS * 1000;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, w) => {
      for (let i = 0; Date.now() < deadline; i++) {
        const t = process.hrtime.bigint();
        await op(w, i);
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  const server = usageSince(serverPid, before);
  return { name, ops: latencies.length, seconds, p50: pct(0.5), p99: pct(0.99), server };
}

function printTable(results: Result[]): void {
  const rows = results.map((r) => [
    r.name,
    String(r.ops),
    (r.ops / r.seconds).toFixed(0),
    r.p50.toFixed(2),
    r.p99.toFixed(2),
    r.retries === undefined ? '' : String(r.retries),
    r.server ? (r.server.cpuMicros / r.ops).toFixed(0) : '',
    r.server ? (r.server.writeSyscalls / r.ops).toFixed(2) : '',
  ]);
  const header = [
    'operation',
    'ops',
    'ops/s',
    'p50 ms',
    'p99 ms',
    'txn retries',
    'server CPU µs/op',
    'server writes/op',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(fmt(r));
}

async function main(): Promise<void> {
  const server = await startServer();
  const client = await MongoClient.connect(server.uri, { maxPoolSize: CONCURRENCY * 2 });
  try {
    const db = client.db('bench');
    const orders = db.collection<{ item: number; qty: number; at: Date }>('orders');
    const items: Collection<{ _id: number; stock: number }> = db.collection('items');
    await items.insertMany(Array.from({ length: ITEMS }, (_, i) => ({ _id: i, stock: 1_000_000_000 })));
    console.log(
      `mongo-lite at ${server.uri}; ${CONCURRENCY} concurrent clients, ${SECONDS} s per operation\n`,
    );
    const results: Result[] = [];

    results.push(
      await measure('insertOne', server.pid, async (w, i) => {
        await orders.insertOne({ item: w, qty: i, at: new Date() });
      }),
    );

    results.push(
      await measure('findOneAndUpdate ($gte guard, $inc)', server.pid, async () => {
        const _id = Math.floor(Math.random() * ITEMS);
        await items.findOneAndUpdate(
          { _id, stock: { $gte: 1 } },
          { $inc: { stock: -1 } },
          { returnDocument: 'after' },
        );
      }),
    );

    results.push(
      await measure('find ($in, projection)', server.pid, async () => {
        const ids = [0, 1, 2].map(() => Math.floor(Math.random() * ITEMS));
        await items.find({ _id: { $in: ids } }, { projection: { stock: 1 } }).toArray();
      }),
    );

    let attempts = 0;
    const sessions = Array.from({ length: CONCURRENCY }, () => client.startSession());
    const txn = await measure('transaction (decrement + insert)', server.pid, async (w, i) => {
      const session = sessions[w];
      if (!session) return;
      const _id = Math.floor(Math.random() * ITEMS);
      await session.withTransaction(async () => {
        attempts++;
        const item = await items.findOneAndUpdate(
          { _id, stock: { $gte: 1 } },
          { $inc: { stock: -1 } },
          { session },
        );
        if (item) await orders.insertOne({ item: _id, qty: i, at: new Date() }, { session });
      });
    });
    txn.retries = attempts - txn.ops;
    results.push(txn);
    for (const s of sessions) await s.endSession();
    printTable(results);
  } finally {
    await client.close();
    await server.stop();
  }
}

// Strict, as mongo-lite's own command line: an argument is a mistake, never silently ignored.
try {
  parseArgs({ args: process.argv.slice(2), options: {}, strict: true });
} catch (error) {
  console.error(`bench:mongo-lite: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(2);
}
main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
