/**
 * npm run bench:bus — our event bus against a raw ioredis baseline on the same Redis.
 * Publish: pipelined XADD. Consume: XREADGROUP COUNT 100 + XACK, with a no-op handler on our side.
 * Goal: our consume path at ≥ 50 % of the raw baseline.
 */
import Redis from 'ioredis';
import { resolveRedis } from '@pizza/stack';
import { createLogger, EventBus, newEvent, STREAMS, toStreamFields, fieldsToList, type Envelope } from '../src';

const N = Number(process.env.BENCH_EVENTS ?? 50_000);
const BATCH = 500;
const logger = createLogger({ service: 'bench', level: 'silent' });

function events(n: number): Envelope[] {
  return Array.from({ length: n }, (_, i) =>
    newEvent('order.simulate', { order_id: `order-${i}`, next_status: 'confirmed' }, { source: 'bench' }),
  );
}

async function timed(run: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return N / (Number(process.hrtime.bigint() - start) / 1e9);
}

async function rawPublish(redis: Redis, list: Envelope[], stream: string) {
  for (let i = 0; i < list.length; i += BATCH) {
    const pipeline = redis.pipeline();
    for (const e of list.slice(i, i + BATCH)) pipeline.xadd(stream, 'MAXLEN', '~', 1_000_000, '*', ...fieldsToList(toStreamFields(e)));
    await pipeline.exec();
  }
}

async function rawConsume(redis: Redis, stream: string) {
  await redis.xgroup('CREATE', stream, 'raw', '0', 'MKSTREAM');
  let seen = 0;
  while (seen < N) {
    const reply = (await redis.xreadgroup('GROUP', 'raw', 'c', 'COUNT', 100, 'BLOCK', 1000, 'STREAMS', stream, '>')) as
      | [string, [string, string[]][]][]
      | null;
    const entries = reply?.[0]?.[1] ?? [];
    if (entries.length === 0) continue;
    await redis.xack(stream, 'raw', ...entries.map(([id]) => id));
    seen += entries.length;
  }
}

async function main() {
  const server = await resolveRedis();
  const redis = new Redis(server.url);
  const bus = new EventBus({ redisUrl: server.url, logger, name: 'bench', maxLen: 1_000_000 });
  try {
    const list = events(N);
    const rawPub = await timed(() => rawPublish(redis, list, 'raw-stream'));
    const ourPub = await timed(async () => {
      for (let i = 0; i < list.length; i += BATCH) await bus.publish(list.slice(i, i + BATCH));
    });
    const rawCon = await timed(() => rawConsume(redis, 'raw-stream'));

    let handled = 0;
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const consumer = bus.consumer({
      group: 'ours', consumer: 'c', streams: [STREAMS.simulateOrder], batchSize: 100,
      maxRetries: 5, claimIdleMs: 60_000,
      handlers: { 'order.simulate': async () => { if (++handled === N) done(); } },
    });
    const ourCon = await timed(async () => {
      await consumer.start();
      await finished;
      await consumer.stop();
    });

    const row = (name: string, ours: number, raw: number) =>
      `${name.padEnd(22)} ${Math.round(ours).toLocaleString('en-US').padStart(12)} ${Math.round(raw).toLocaleString('en-US').padStart(12)} ${((ours / raw) * 100).toFixed(0).padStart(6)} %`;
    console.log(`\nevent bus, ${N.toLocaleString('en-US')} events, one Redis on loopback\n`);
    console.log(`${'path'.padEnd(22)} ${'ours (ev/s)'.padStart(12)} ${'raw (ev/s)'.padStart(12)} ${'ratio'.padStart(8)}`);
    console.log(row('publish (pipelined)', ourPub, rawPub));
    console.log(row('consume + ack', ourCon, rawCon));
    console.log(`\ngoal: consume ≥ 50 % of raw — ${ourCon / rawCon >= 0.5 ? 'met' : 'NOT met'}`);
  } finally {
    await bus.close();
    await redis.quit();
    await server.stop();
  }
}

void main();
