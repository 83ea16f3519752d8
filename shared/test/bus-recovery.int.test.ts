import pino from 'pino';
import { BaseEnv, EventBus, fieldsFromList, startService, STREAMS, type EventBusOptions, type HandlerContext, type RunningService } from '../src';
import { metricIn, waitFor } from '../src/testing';
import { fastRetry, orderSimulate, silentLogger, useRedis } from './helpers';

/** The bus at its edges: trimming, entries lost from a stream, Redis losing its data, dependencies down. */
const redis = useRedis();
const stream = STREAMS.simulateOrder;
const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.close()));
});

function bus(options: Partial<EventBusOptions> = {}): EventBus {
  const b = new EventBus({ redisUrl: redis.url, logger: silentLogger, name: 'test', ...options });
  opened.push(b);
  return b;
}

/** A logger that keeps its lines, to count what an outage writes. */
function recordingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
  return { logger, lines };
}

async function deadLetters() {
  return (await redis.client.xrange(STREAMS.deadLetters, '-', '+')).map(([, list]) => fieldsFromList(list));
}

async function ids(): Promise<string[]> {
  return (await redis.client.xrange(stream, '-', '+')).map(([id]) => id);
}

describe('trimming', () => {
  beforeEach(async () => {
    // Small nodes, so that approximate trimming has something to trim at test sizes.
    await redis.client.config('SET', 'stream-node-max-entries', '10');
  });

  test('publishing past STREAM_MAXLEN drops nothing a group has not read, and trimming stops at the oldest entry a group needs', async () => {
    const b = bus({ maxLen: 100 });
    await redis.client.xgroup('CREATE', stream, 'slow', '0', 'MKSTREAM');
    await redis.client.xgroup('CREATE', stream, 'fast', '0');
    const published = await b.publish(Array.from({ length: 300 }, () => orderSimulate()));
    expect(await ids()).toEqual(published);

    // fast reads and acks everything; slow has read 120, acked the first 50, and holds 70 pending.
    const read = async (group: string, count: number) =>
      ((await redis.client.xreadgroup('GROUP', group, 'c', 'COUNT', count, 'STREAMS', stream, '>')) as [string, [string, string[]][]][])[0]![1].map(([id]) => id);
    await redis.client.xack(stream, 'fast', ...(await read('fast', 300)));
    const slowRead = await read('slow', 120);
    await redis.client.xack(stream, 'slow', ...slowRead.slice(0, 50));

    const { trimmed } = await b.trimmer.trim(stream);
    const left = await ids();
    expect(trimmed).toBeGreaterThan(0);
    expect(left).toEqual(published.slice(published.indexOf(left[0]!)));
    expect(left).toContain(published[50]);

    // Once slow has acked everything too, the stream comes back to about STREAM_MAXLEN (never below it).
    await redis.client.xack(stream, 'slow', ...slowRead.slice(50), ...(await read('slow', 300)));
    await b.trimmer.trim(stream);
    const after = await ids();
    expect(after.length).toBeGreaterThanOrEqual(100);
    expect(after.length).toBeLessThan(110);
    expect(after).toEqual(published.slice(-after.length));
    expect(await deadLetters()).toEqual([]);
  });

  test('a group that has read nothing keeps the whole stream, however long', async () => {
    const b = bus({ maxLen: 100 });
    await redis.client.xgroup('CREATE', stream, 'asleep', '0', 'MKSTREAM');
    const published = await b.publish(Array.from({ length: 250 }, () => orderSimulate()));
    expect((await b.trimmer.trim(stream)).trimmed).toBe(0);
    expect(await ids()).toEqual(published);
  });

  test('a stream nobody reads is kept to about STREAM_MAXLEN', async () => {
    const b = bus({ maxLen: 100 });
    const published = await b.publish(Array.from({ length: 250 }, () => orderSimulate()));
    await b.trimmer.trim(stream);
    const left = await ids();
    expect(left.length).toBeGreaterThanOrEqual(100);
    expect(left.length).toBeLessThan(110);
    expect(left).toEqual(published.slice(-left.length));
  });

  test('a pending entry deleted from the stream before its ack becomes a dead letter with reason trimmed, logged as an error and counted as dead-lettered', async () => {
    const { logger, lines } = recordingLogger();
    const { registry } = await import('../src');
    const deadLettered = async () => metricIn(await registry.metrics(), 'bus_events_dead_lettered_total', { stream, group: 'g' });
    const deadLetteredBefore = await deadLettered();
    const b = bus({ logger });
    await redis.client.xgroup('CREATE', stream, 'g', '0', 'MKSTREAM');
    const [lost, kept] = await b.publish([orderSimulate(), orderSimulate()]);
    // A consumer that read both and died; then the first one is deleted (trimmed by an older publisher, XDEL…).
    await redis.client.xreadgroup('GROUP', 'g', 'gone', 'COUNT', 2, 'STREAMS', stream, '>');
    await redis.client.xdel(stream, lost!);
    const handled: string[] = [];
    await b
      .consumer({ group: 'g', consumer: 'rescuer', streams: [stream], ...fastRetry, handlers: { 'order.simulate': async (_e, ctx) => void handled.push(ctx.entryId) } })
      .start();
    await waitFor(() => handled.length === 1, { what: 'the surviving entry handled' });
    expect(handled).toEqual([kept]);
    await waitFor(async () => (await deadLetters()).length === 1, { what: 'the dead letter' });
    expect((await deadLetters())[0]).toMatchObject({ original_stream: stream, original_id: lost, group: 'g', last_error: 'trimmed' });
    expect(lines.some((l) => l.level === 50 && /deleted from the stream/.test(l.msg))).toBe(true);
    expect(Number(((await redis.client.xpending(stream, 'g')) as [number])[0])).toBe(0);
    // What the BusDeadLetters alert reads.
    expect(await deadLettered()).toBe(deadLetteredBefore + 1);
  });
});

describe('Redis losing its data', () => {
  test('after FLUSHALL a consumer recreates its group and new events flow, with one log line per outage', async () => {
    const { logger, lines } = recordingLogger();
    const b = bus({ logger });
    const handled: string[] = [];
    await b.consumer({ group: 'g', consumer: 'c1', streams: [stream], ...fastRetry, handlers: { 'order.simulate': async (e) => void handled.push(e.event_id) } }).start();
    await b.publish(orderSimulate());
    await waitFor(() => handled.length === 1, { what: 'first event' });

    await redis.client.flushall();
    const after = orderSimulate();
    await b.publish(after);
    await waitFor(() => handled.includes(after.event_id), { what: 'an event published after the flush' });
    expect((await redis.client.xinfo('GROUPS', stream)) as unknown[]).toHaveLength(1);
    expect(lines.filter((l) => l.level >= 40).length).toBeLessThanOrEqual(2);
  });

  test('readiness turns 503 while a consumer cannot read, names it, and turns 200 once it reads again', async () => {
    const handled: string[] = [];
    const service: RunningService = await startService({
      name: 'readiness-test',
      schema: BaseEnv,
      env: { REDIS_URL: redis.url, LOG_LEVEL: 'silent', STREAM_CLAIM_IDLE_MS: '50' },
      async setup() {
        return { consumers: [{ group: 'g', streams: [stream], blockMs: 100, handlers: { 'order.simulate': async (e) => void handled.push(e.event_id) } }] };
      },
    });
    opened.push({ close: () => service.stop() });
    const health = async () => {
      const res = await fetch(`http://127.0.0.1:${service.port}/api/v1/health`);
      return { status: res.status, body: (await res.json()) as unknown };
    };
    expect((await health()).status).toBe(200);

    // The stream's key holds a string now: no read and no group can be made until it is gone.
    await redis.client.flushall();
    await redis.client.set(stream, 'not a stream');
    const down = await waitFor(async () => {
      const h = await health();
      return h.status === 503 && /WRONGTYPE/.test(JSON.stringify(h.body)) ? h : undefined;
    }, { what: 'readiness 503 naming the consumer' });
    expect(down.body).toMatchObject({ error: { details: { down: ['consumers'] } } });
    expect(JSON.stringify(down.body)).toMatch(/g: WRONGTYPE/);

    await redis.client.del(stream);
    await waitFor(async () => (await health()).status === 200, { what: 'readiness 200 again' });
    const event = orderSimulate();
    const b = bus();
    await b.publish(event);
    await waitFor(() => handled.includes(event.event_id), { what: 'an event after recovery' });
  });
});

describe('dependencies down', () => {
  test('a handler failing for an infrastructure reason is retried in place past STREAM_MAX_RETRIES, without counting an attempt, and never dead-lettered', async () => {
    const b = bus();
    const attempts: number[] = [];
    const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:27017'), { code: 'ECONNREFUSED' });
    const handler = async (_e: unknown, ctx: HandlerContext) => {
      attempts.push(ctx.attempt);
      if (attempts.length <= 2 * fastRetry.maxRetries) throw refused();
    };
    // Two consumers with fast reclaiming: the one retrying must keep the entry its own meanwhile.
    for (const name of ['c1', 'c2']) {
      await b.consumer({ group: 'g', consumer: name, streams: [stream], ...fastRetry, handlers: { 'order.simulate': handler } }).start();
    }
    await b.publish(orderSimulate());
    await waitFor(async () => attempts.length === 2 * fastRetry.maxRetries + 1 && Number(((await redis.client.xpending(stream, 'g')) as [number])[0]) === 0, {
      what: 'success after the outage, acked',
    });
    expect(attempts.every((a) => a === 1)).toBe(true);
    expect(await deadLetters()).toEqual([]);
  });

  test('a handler failing for the message\'s own reason still dead-letters after STREAM_MAX_RETRIES', async () => {
    const b = bus();
    let calls = 0;
    await b.consumer({ group: 'g', consumer: 'c1', streams: [stream], ...fastRetry, handlers: { 'order.simulate': async () => { calls++; throw new TypeError('bug'); } } }).start();
    await b.publish(orderSimulate());
    await waitFor(async () => (await deadLetters()).length === 1, { what: 'dead letter' });
    expect(calls).toBe(fastRetry.maxRetries);
  });
});
