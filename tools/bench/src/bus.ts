/**
 * npm run bench:bus — our event bus against raw ioredis on the same Redis.
 * Publish: pipelined XADD in batches of 500. Consume: XREADGROUP COUNT 100 + XACK, with a no-op handler on our side.
 * Goal: our consume path at ≥ 50 % of the raw baseline.
 */
import { resolveRedis } from '@pizza/stack';
import {
  createLogger,
  EventBus,
  newEvent,
  ORDER_LIFECYCLE,
  parseCommandLine,
  renderTable,
  runCommand,
  STREAMS,
  type Envelope,
} from '@pizza/shared';
import { measureRawRedis } from './baselines/redis';

const N = Number(process.env.BENCH_EVENTS ?? 50_000);
const BATCH = 500;
const USAGE = 'usage: npm run bench:bus (no arguments; environment: BENCH_EVENTS, default 50000)';

async function perSecond(run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  return N / ((performance.now() - started) / 1000);
}

async function measureOurBus(redisUrl: string): Promise<{ publish: number; consume: number }> {
  const logger = createLogger({ service: 'bench', level: 'silent' });
  const bus = new EventBus({ redisUrl, logger, name: 'bench', maxLen: 1_000_000 });
  const events: Envelope[] = Array.from({ length: N }, (_, i) =>
    newEvent('order.simulate', { order_id: `order-${i}`, next_status: ORDER_LIFECYCLE.simulated[0] }, { source: 'bench' }),
  );
  try {
    const publish = await perSecond(async () => {
      for (let i = 0; i < events.length; i += BATCH) await bus.publish(events.slice(i, i + BATCH));
    });

    let handled = 0;
    let allHandled: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (allHandled = resolve));
    const consumer = bus.consumer({
      group: 'bench',
      consumer: 'c',
      streams: [STREAMS.simulateOrder],
      batchSize: 100,
      maxRetries: 5,
      claimIdleMs: 60_000,
      handlers: {
        'order.simulate': async () => {
          if (++handled === N) allHandled();
        },
      },
    });
    const consume = await perSecond(async () => {
      await consumer.start();
      await finished;
      await consumer.stop();
    });
    return { publish, consume };
  } finally {
    await bus.close();
  }
}

async function main(): Promise<number> {
  parseCommandLine({ args: process.argv.slice(2), options: {} });
  const server = await resolveRedis();
  try {
    const raw = await measureRawRedis(server.url, N);
    const ours = await measureOurBus(server.url);
    const rate = (n: number) => Math.round(n).toLocaleString('en-US');
    const row = (name: string, our: number, rawRate: number) => [
      name,
      rate(our),
      rate(rawRate),
      `${((our / rawRate) * 100).toFixed(0)} %`,
    ];
    console.log(`\nevent bus, ${N.toLocaleString('en-US')} events, one Redis on loopback\n`);
    console.log(
      renderTable(
        ['path', 'ours (ev/s)', 'raw (ev/s)', 'ratio'],
        [
          row('publish (pipelined)', ours.publish, raw.xaddPerSecond),
          row('consume + ack', ours.consume, raw.readAckPerSecond),
        ],
        { figures: true },
      ),
    );
    console.log(
      `\ngoal: consume ≥ 50 % of raw — ${ours.consume / raw.readAckPerSecond >= 0.5 ? 'met' : 'NOT met'}`,
    );
    return 0;
  } finally {
    await server.stop();
  }
}

runCommand(main, { name: 'bench:bus', usage: USAGE });
