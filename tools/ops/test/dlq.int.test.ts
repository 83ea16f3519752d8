import Redis from 'ioredis';
import { resolveRedis, type RedisInstance } from '@pizza/stack';
import { EventBus, fieldsFromList, newEvent, REPLAY_COUNT_FIELD, STREAMS } from '@pizza/shared';
import { waitFor } from '@pizza/shared/testing';
import { runCli, silentLogger } from './helpers';

jest.setTimeout(60_000);

let redis: RedisInstance;
let client: Redis;
const dlq = (...args: string[]) => runCli('dlq-cli.ts', args, { REDIS_URL: redis.url });
const stream = STREAMS.simulateOrder;

beforeAll(async () => {
  redis = await resolveRedis();
  client = new Redis(redis.url);
});
afterEach(() => client.flushdb());
afterAll(async () => {
  await client.quit();
  await redis.stop();
});

/** Real dead letters: a consumer whose handler always throws, with fast retries. Returns their ids, oldest first. */
async function makeDeadLetters(count: number): Promise<string[]> {
  const bus = new EventBus({ redisUrl: redis.url, logger: silentLogger, name: 'dlq-test' });
  try {
    const consumer = bus.consumer({
      group: 'kitchen-group',
      consumer: 'k1',
      streams: [stream],
      maxRetries: 2,
      claimIdleMs: 50,
      claimIntervalMs: 20,
      blockMs: 200,
      handlers: {
        'order.simulate': async () => {
          throw new Error('oven is cold');
        },
      },
    });
    await consumer.start();
    const events = Array.from({ length: count }, (_, i) =>
      newEvent('order.simulate', { order_id: `o-${i}`, next_status: 'confirmed' }, { source: 'test' }),
    );
    await bus.publish(events);
    await waitFor(async () => (await client.xlen(STREAMS.deadLetters)) === count, { what: 'dead letters' });
  } finally {
    await bus.close(); // stopped, so a replayed entry is not dead-lettered again
  }
  const entries = await client.xrange(STREAMS.deadLetters, '-', '+');
  return entries.map(([id]) => id);
}

async function streamEntries(name: string) {
  return (await client.xrange(name, '-', '+')).map(([id, list]) => ({ id, fields: fieldsFromList(list) }));
}

describe('npm run dlq', () => {
  test('list shows each dead letter with its stream, event type, attempts, error and age', async () => {
    const ids = await makeDeadLetters(2);
    const result = await dlq('list');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+STREAM\s+EVENT TYPE\s+ATTEMPTS\s+LAST ERROR\s+AGE$/);
    for (const id of ids) {
      expect(result.stdout).toMatch(
        new RegExp(`^${id}\\s+${stream}\\s+order\\.simulate\\s+2\\s+oven is cold\\s+\\d+s$`, 'm'),
      );
    }
    expect(lines.at(-1)).toBe('2 dead letter(s)');
  });

  test('show prints the meta and the original fields, payload as JSON', async () => {
    const [id] = await makeDeadLetters(1);
    const result = await dlq('show', id!);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`dead letter ${id}`);
    expect(result.stdout).toMatch(/^ {2}original_stream\s+simulate-order-stream$/m);
    expect(result.stdout).toMatch(/^ {2}group\s+kitchen-group$/m);
    expect(result.stdout).toMatch(/^ {2}last_error\s+oven is cold$/m);
    expect(result.stdout).toMatch(/^ {2}event_type\s+order\.simulate$/m);
    expect(result.stdout).toContain('"order_id": "o-0"');
  });

  test('replay puts the original fields back on the original stream with replay_count 1, then deletes the dead letter', async () => {
    const [id] = await makeDeadLetters(1);
    const [original] = await streamEntries(stream);
    const result = await dlq('replay', id!);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`replayed ${id} to ${stream}`);
    const entries = await streamEntries(stream);
    expect(entries).toHaveLength(2);
    expect(entries[1]!.fields).toEqual({ ...original!.fields, [REPLAY_COUNT_FIELD]: '1' });
    expect(await client.xlen(STREAMS.deadLetters)).toBe(0);
  });

  test('replay-all replays every dead letter, oldest first', async () => {
    await makeDeadLetters(3);
    const result = await dlq('replay-all');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('replayed 3 dead letter(s)');
    const replayed = (await streamEntries(stream))
      .slice(3)
      .map((e) => JSON.parse(e.fields.payload!).order_id);
    expect(replayed).toEqual(['o-0', 'o-1', 'o-2']);
    expect(await client.xlen(STREAMS.deadLetters)).toBe(0);
  });

  test('purge without --yes is refused and deletes nothing; with --yes it deletes all and says how many', async () => {
    await makeDeadLetters(2);
    const refused = await dlq('purge');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    expect(await client.xlen(STREAMS.deadLetters)).toBe(2);
    const purged = await dlq('purge', '--yes');
    expect(purged.code).toBe(0);
    expect(purged.stdout).toContain('purged 2 dead letter(s)');
    expect(await client.xlen(STREAMS.deadLetters)).toBe(0);
  });

  test('an unknown ID is a message and exit 1', async () => {
    for (const args of [
      ['show', '1-0'],
      ['replay', 'not-an-id'],
    ]) {
      const result = await dlq(...args);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`no dead letter with ID ${args[1]}`);
    }
  });

  test('a missing ID, an unknown command or an unknown flag prints what is wrong and the usage, and exits 2', async () => {
    for (const [args, message] of [
      [['show'], 'show needs a dead letter ID'],
      [['explode'], 'unknown command: explode'],
      [['list', '--limt', '5'], "Unknown option '--limt'"],
    ] as const) {
      const result = await dlq(...args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`dlq: ${message}`);
      expect(result.stderr).toContain('usage: npm run dlq');
    }
  });

  test('without REDIS_URL it exits 1 naming the variable', async () => {
    const result = await runCli('dlq-cli.ts', ['list'], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('REDIS_URL');
  });
});
