import { AppError, fromStreamFields, fieldsFromList, fieldsToList, newEvent, streamOf, toStreamFields, STREAMS, type Envelope, type HandlerContext } from '../src';
import { metricIn, waitFor } from '../src/testing';
import { fastRetry, orderSimulate, useRedis } from './helpers';

const redis = useRedis();
const stream = STREAMS.simulateOrder;

async function deadLetters() {
  const entries = await redis.client.xrange(STREAMS.deadLetters, '-', '+');
  return entries.map(([id, list]) => ({ id, fields: fieldsFromList(list) }));
}

async function pendingCount(group: string) {
  const [count] = (await redis.client.xpending(stream, group)) as [number];
  return Number(count);
}

describe('event bus', () => {
  test('a published event reaches its handler with the envelope intact', async () => {
    const bus = redis.bus();
    const event = orderSimulate();
    const seen: Envelope[] = [];
    await bus.consumer({ group: 'g', consumer: 'c1', streams: [stream], handlers: { 'order.simulate': async (e) => void seen.push(e) }, ...fastRetry }).start();
    await bus.publish(event);
    await waitFor(() => seen.length === 1, { what: 'delivery' });
    expect(seen[0]).toEqual(event);
    const [[, list]] = (await redis.client.xrange(stream, '-', '+')) as [[string, string[]]];
    const decoded = fromStreamFields(fieldsFromList(list));
    expect(decoded).toEqual({ ok: true, event });
    await waitFor(async () => (await pendingCount('g')) === 0, { what: 'ack' });
  });

  test('two consumers in one group share the work and no entry is handled twice', async () => {
    const bus = redis.bus();
    const handledBy = new Map<string, string[]>();
    const handler = (name: string) => async (e: Envelope<'order.simulate'>) => {
      handledBy.set(e.event_id, [...(handledBy.get(e.event_id) ?? []), name]);
      await new Promise((r) => setImmediate(r));
    };
    for (const name of ['c1', 'c2']) {
      // No reclaiming here: on a loaded machine a 50 ms claim idle would legitimately hand a slow entry to the other consumer.
      await bus.consumer({ group: 'g', consumer: name, streams: [stream], batchSize: 5, handlers: { 'order.simulate': handler(name) }, ...fastRetry, claimIdleMs: 60_000 }).start();
    }
    const events = Array.from({ length: 200 }, () => orderSimulate());
    await bus.publish(events);
    await waitFor(() => handledBy.size === 200, { what: 'all handled' });
    expect([...handledBy.values()].every((names) => names.length === 1)).toBe(true);
    const consumers = new Set([...handledBy.values()].flat());
    expect(consumers).toEqual(new Set(['c1', 'c2']));
  });

  test('a handler that fails once is retried after the claim idle time and then succeeds', async () => {
    const bus = redis.bus();
    const attempts: number[] = [];
    const handler = async (_e: Envelope<'order.simulate'>, ctx: HandlerContext) => {
      attempts.push(ctx.attempt);
      if (ctx.attempt === 1) throw new Error('transient');
    };
    await bus.consumer({ group: 'g', consumer: 'c1', streams: [stream], handlers: { 'order.simulate': handler }, ...fastRetry }).start();
    await bus.publish(orderSimulate());
    await waitFor(() => attempts.length === 2, { what: 'retry' });
    expect(attempts).toEqual([1, 2]);
    await waitFor(async () => (await pendingCount('g')) === 0, { what: 'ack after retry' });
    expect(await deadLetters()).toEqual([]);
  });

  test('an always-failing handler produces exactly one dead letter with every contract field', async () => {
    const bus = redis.bus();
    let calls = 0;
    const event = orderSimulate();
    const consumer = bus.consumer({
      group: 'g', consumer: 'c1', streams: [stream], ...fastRetry,
      handlers: { 'order.simulate': async () => { calls++; throw new Error('kitchen on fire'); } },
    });
    await consumer.start();
    const [entryId] = await bus.publish(event);
    await waitFor(async () => (await deadLetters()).length === 1, { what: 'dead letter' });
    await waitFor(async () => (await pendingCount('g')) === 0, { what: 'original leaves pending' });
    await consumer.stop();
    expect(calls).toBe(fastRetry.maxRetries);
    const [dead] = await deadLetters();
    expect(dead!.fields).toMatchObject({
      original_stream: stream,
      original_id: entryId,
      group: 'g',
      consumer: 'c1',
      attempts: String(fastRetry.maxRetries),
      last_error: 'kitchen on fire',
      event_id: event.event_id,
      event_type: 'order.simulate',
      schema_version: '1',
      correlation_id: event.correlation_id,
      causation_id: '',
      source: 'test',
      timestamp: event.timestamp,
      payload: JSON.stringify(event.payload),
    });
    expect(Number.isNaN(Date.parse(dead!.fields.failed_at!))).toBe(false);
    expect(await deadLetters()).toHaveLength(1);
  });

  test('a malformed entry goes to dead-letters; an unknown type is acked and not dead-lettered', async () => {
    const bus = redis.bus();
    const handled: string[] = [];
    const { registry } = await import('../src');
    const ignored = async () => metricIn(await registry.metrics(), 'bus_events_ignored_total', { reason: 'unknown_type' });
    const ignoredBefore = await ignored();
    await bus.consumer({ group: 'g', consumer: 'c1', streams: [stream], handlers: { 'order.simulate': async (e) => void handled.push(e.event_id) }, ...fastRetry }).start();
    await redis.client.xadd(stream, '*', 'event_type', 'order.simulate', 'event_id', 'not-a-uuid', 'payload', '{}');
    await redis.client.xadd(stream, '*', 'event_type', 'pizza.teleported', 'payload', '{}');
    const good = orderSimulate();
    await bus.publish(good);
    await waitFor(() => handled.length === 1, { what: 'good event' });
    await waitFor(async () => (await pendingCount('g')) === 0, { what: 'all acked' });
    const dead = await deadLetters();
    expect(dead).toHaveLength(1);
    expect(dead[0]!.fields.last_error).toMatch(/invalid envelope/);
    expect(dead[0]!.fields.attempts).toBe('1');
    expect(await ignored()).toBe(ignoredBefore + 1);
  });

  test('the consumer samples its streams\' length, which acking does not shorten', async () => {
    const bus = redis.bus();
    await bus.consumer({ group: 'g', consumer: 'c1', streams: [stream], handlers: { 'order.simulate': async () => undefined }, ...fastRetry }).start();
    await bus.publish([orderSimulate(), orderSimulate(), orderSimulate()]);
    await waitFor(async () => (await pendingCount('g')) === 0, { what: 'all acked' });
    const { registry } = await import('../src');
    await waitFor(async () => (await registry.getSingleMetricAsString('bus_stream_length')).includes(`{stream="${stream}"} 3`), {
      what: 'bus_stream_length of 3',
    });
  });

  test('a graceful stop lets in-flight handlers finish and acks them', async () => {
    const bus = redis.bus();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const started: string[] = [];
    const finished: string[] = [];
    const consumer = bus.consumer({
      group: 'g', consumer: 'c1', streams: [stream], ...fastRetry, claimIdleMs: 60_000,
      handlers: { 'order.simulate': async (e) => { started.push(e.event_id); await gate; finished.push(e.event_id); } },
    });
    await consumer.start();
    await bus.publish([orderSimulate(), orderSimulate(), orderSimulate()]);
    await waitFor(() => started.length === 3, { what: 'handlers in flight' });
    const stopped = consumer.stop();
    release();
    await stopped;
    expect(finished).toHaveLength(3);
    expect(await pendingCount('g')).toBe(0);
  });

  test('entries of one order are handled in stream order even within one batch', async () => {
    const bus = redis.bus();
    const seen: string[] = [];
    const events = Array.from({ length: 20 }, () => orderSimulate('same-order'));
    // Later entries take less time: handled in parallel, they would finish first and the check would fail.
    const delayMs = (id: string) => 20 - events.findIndex((e) => e.event_id === id);
    await bus.consumer({
      group: 'g', consumer: 'c1', streams: [stream], ...fastRetry, concurrency: 8,
      handlers: { 'order.simulate': async (e) => { await new Promise((r) => setTimeout(r, delayMs(e.event_id))); seen.push(e.event_id); } },
    }).start();
    await bus.publish(events);
    await waitFor(() => seen.length === 20, { what: 'all handled' });
    expect(seen).toEqual(events.map((e) => e.event_id));
  });

  test('an entry left pending holds back the later entries of its order until it succeeds', async () => {
    const bus = redis.bus();
    const events = Array.from({ length: 5 }, () => orderSimulate('same-order'));
    // Published before the group reads, so all five arrive in one batch.
    await bus.publish(events);
    const seen: string[] = [];
    await bus.consumer({
      group: 'g', consumer: 'c1', streams: [stream], ...fastRetry, concurrency: 8,
      handlers: {
        'order.simulate': async (e, ctx) => {
          if (e.event_id === events[0]!.event_id && ctx.attempt === 1) throw new Error('transient');
          seen.push(e.event_id);
        },
      },
    }).start();
    await waitFor(() => seen.length === 5, { what: 'all handled' });
    expect(seen).toEqual(events.map((e) => e.event_id));
    await waitFor(async () => (await pendingCount('g')) === 0, { what: 'all acked' });
  });

  test('a failing dead-letter write leaves that entry pending and still acks the rest of the batch', async () => {
    const bus = redis.bus();
    // A key of the wrong type: every dead-letter XADD fails.
    await redis.client.set(STREAMS.deadLetters, 'not a stream');
    const [doomed, ...fine] = [orderSimulate(), orderSimulate(), orderSimulate()];
    await bus.publish([doomed!, ...fine]);
    const handled: string[] = [];
    const consumer = bus.consumer({
      group: 'g', consumer: 'c1', streams: [stream], ...fastRetry, claimIdleMs: 60_000,
      handlers: {
        'order.simulate': async (e) => {
          if (e.event_id === doomed!.event_id) throw new AppError('never valid', { code: 'validation_error' });
          handled.push(e.event_id);
        },
      },
    });
    await consumer.start();
    await waitFor(() => handled.length === 2, { what: 'the others handled' });
    await waitFor(async () => (await pendingCount('g')) === 1, { what: 'the others acked' });
    const [[pendingId]] = (await redis.client.xpending(stream, 'g', '-', '+', 10)) as [[string]];
    const [first] = await redis.client.xrange(stream, '-', '+', 'COUNT', 1);
    expect(pendingId).toBe(first![0]);
    await consumer.stop();
  });

  test('entries of one order read from two streams in one batch keep the order they were written in', async () => {
    const bus = redis.bus();
    const events = Array.from({ length: 10 }, (_, i) =>
      i % 2 === 0
        ? orderSimulate('same-order')
        : newEvent('order.status_simulated', { order_id: 'same-order', status: 'confirmed' }, { source: 'test' }),
    );
    // Explicit ids, one millisecond apart: what causally ordered writes look like.
    const base = Date.now();
    for (const [i, e] of events.entries()) {
      await redis.client.xadd(streamOf(e), `${base + i}-0`, ...fieldsToList(toStreamFields(e)));
    }
    const seen: string[] = [];
    await bus
      .consumer({
        group: 'g', consumer: 'c1', streams: [STREAMS.orderStatus, stream], ...fastRetry,
        handlers: {
          'order.simulate': async (e) => void seen.push(e.event_id),
          'order.status_simulated': async (e) => void seen.push(e.event_id),
        },
      })
      .start();
    await waitFor(() => seen.length === 10, { what: 'all handled' });
    expect(seen).toEqual(events.map((e) => e.event_id));
  });
});
