import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { resolveRedis, type RedisInstance } from '@pizza/stack';
import {
  EventBus,
  fieldsFromList,
  newEvent,
  REPLAY_COUNT_FIELD,
  REPLAY_GROUP_FIELD,
  registry,
  STREAMS,
  writeLocalStack,
  type Envelope,
} from '@pizza/shared';
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

/** A started consumer of `stream` in `group` with fast retries: two attempts, then a dead letter. */
async function startConsumer(bus: EventBus, group: string, handle: (event: Envelope<'order.simulate'>) => Promise<void>) {
  const consumer = bus.consumer({
    group,
    consumer: `${group}-1`,
    streams: [stream],
    maxRetries: 2,
    claimIdleMs: 50,
    claimIntervalMs: 20,
    blockMs: 200,
    handlers: { 'order.simulate': handle },
  });
  await consumer.start();
}

/** Real dead letters: a consumer whose handler always throws, with fast retries. Returns their ids, oldest first. */
async function makeDeadLetters(count: number): Promise<string[]> {
  const bus = new EventBus({ redisUrl: redis.url, logger: silentLogger, name: 'dlq-test' });
  try {
    await startConsumer(bus, 'kitchen-group', async () => {
      throw new Error('oven is cold');
    });
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
    expect(lines[0]).toMatch(/^ID\s+STREAM\s+GROUP\s+EVENT TYPE\s+ATTEMPTS\s+LAST ERROR\s+AGE$/);
    for (const id of ids) {
      expect(result.stdout).toMatch(
        new RegExp(`^${id}\\s+${stream}\\s+kitchen-group\\s+order\\.simulate\\s+2\\s+oven is cold\\s+\\d+s$`, 'm'),
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

  test('replay puts the original fields back on the original stream for the failed group, replay_count 1, then deletes the dead letter', async () => {
    const [id] = await makeDeadLetters(1);
    const [original] = await streamEntries(stream);
    const result = await dlq('replay', id!);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`replayed ${id} to ${stream} for kitchen-group only`);
    const entries = await streamEntries(stream);
    expect(entries).toHaveLength(2);
    expect(entries[1]!.fields).toEqual({
      ...original!.fields,
      [REPLAY_COUNT_FIELD]: '1',
      [REPLAY_GROUP_FIELD]: 'kitchen-group',
    });
    expect(await client.xlen(STREAMS.deadLetters)).toBe(0);
  });

  test('a replay of an entry that failed in one group is handled by that group only: the others ack it and apply nothing', async () => {
    const bus = new EventBus({ redisUrl: redis.url, logger: silentLogger, name: 'dlq-groups-test' });
    const applied: Record<string, string[]> = { 'kitchen-group': [], 'till-group': [], 'tracker-group': [] };
    let kitchenWorks = false;
    try {
      for (const group of Object.keys(applied)) {
        await startConsumer(bus, group, async (event) => {
          if (group === 'kitchen-group' && !kitchenWorks) throw new Error('oven is cold');
          applied[group]!.push(event.event_id);
        });
      }
      await bus.publish([newEvent('order.simulate', { order_id: 'o-1', next_status: 'confirmed' }, { source: 'test' })]);
      await waitFor(async () => (await client.xlen(STREAMS.deadLetters)) === 1, { what: 'the kitchen dead letter' });
      const [[id]] = (await client.xrange(STREAMS.deadLetters, '-', '+')) as [[string, string[]]];
      kitchenWorks = true;

      const result = await dlq('replay', id);
      expect(result.code).toBe(0);
      await waitFor(() => applied['kitchen-group']!.length === 1, { what: 'the kitchen to apply the replay' });
      const settled = async () => {
        const groups = (await client.xinfo('GROUPS', stream)) as unknown[][];
        return groups.every((info) => {
          const fields = fieldsFromList(info.map(String));
          return fields.pending === '0' && fields.lag === '0';
        });
      };
      await waitFor(settled, { what: 'every group to have read and acked the replayed entry' });
      expect(applied['till-group']).toHaveLength(1);
      expect(applied['tracker-group']).toHaveLength(1);
      expect(await client.xlen(STREAMS.deadLetters)).toBe(0);
      const skipped = (await registry.getSingleMetric('bus_events_ignored_total')?.get())?.values.filter(
        (v) => v.labels.reason === 'replayed_for_another_group',
      );
      expect(skipped?.map((v) => [v.labels.group, v.value]).sort()).toEqual([
        ['till-group', 1],
        ['tracker-group', 1],
      ]);
    } finally {
      await bus.close();
    }
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

  test('without REDIS_URL and with no stack running, it says in one line what to do', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'dlq-no-stack-'));
    try {
      const result = await runCli('dlq-cli.ts', ['list'], { STACK_DATA_DIR: empty });
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([
        `dlq: REDIS_URL not set and no running stack found in ${empty}: start one with \`npm start\` (or set REDIS_URL)`,
      ]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test('without REDIS_URL it uses the Redis of the running npm start stack and says so', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dlq-stack-'));
    try {
      // This test's process stands in for the running launcher: the file names it.
      writeLocalStack(dataDir, {
        launcher_pid: process.pid,
        started_at: new Date().toISOString(),
        data_dir: dataDir,
        gateway_url: 'http://localhost:8080',
        redis_url: redis.url,
        mongo_url: 'mongodb://127.0.0.1:1/?replicaSet=rs0',
        mongo_db: 'pizza',
        admin_token: 'secret',
      });
      await makeDeadLetters(1);
      const result = await runCli('dlq-cli.ts', ['list'], { STACK_DATA_DIR: dataDir });
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(`dlq: using the stack of npm start at http://localhost:8080 (pid ${process.pid}`);
      expect(result.stdout).toContain('1 dead letter(s)');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
