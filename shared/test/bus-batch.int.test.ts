import { GROUPS, STREAMS, type BatchEntry, type Envelope } from '../src';
import { waitFor } from '../src/testing';
import { fastRetry, orderSimulate, useRedis } from './helpers';

const redis = useRedis();
const stream = STREAMS.simulateOrder;

/** A connection refused: an infrastructure failure, never the message's fault. */
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:27017'), { code: 'ECONNREFUSED' });

const pending = async () => ((await redis.client.xpending(stream, GROUPS.simulator)) as [number])[0];
const deadLetters = async () => (await redis.client.xrange(STREAMS.deadLetters, '-', '+')).length;

/** Publishes before the consumer starts, so that its first read returns every event at once. */
async function consumeAll(
  events: Envelope[],
  behaviour: { batch: (entries: readonly BatchEntry[]) => Promise<void>; one: (event: Envelope) => Promise<void> },
) {
  const bus = redis.bus();
  await bus.publish(events);
  const consumer = bus.consumer({
    ...fastRetry,
    group: GROUPS.simulator,
    consumer: 'c1',
    streams: [stream],
    handlers: { 'order.simulate': (event) => behaviour.one(event) },
    batchHandler: (entries) => behaviour.batch(entries),
  });
  await consumer.start();
  return consumer;
}

describe('a batch handler', () => {
  test('gets everything one read returned, in one call, in stream order; every entry is acked', async () => {
    const events = Array.from({ length: 5 }, () => orderSimulate());
    const batches: string[][] = [];
    const singles: string[] = [];
    await consumeAll(events, {
      batch: async (entries) => void batches.push(entries.map((e) => e.event.event_id)),
      one: async (event) => void singles.push(event.event_id),
    });
    await waitFor(async () => batches.length === 1 && (await pending()) === 0, { what: 'one batch, acked' });
    expect(batches).toEqual([events.map((e) => e.event_id)]);
    expect(singles).toEqual([]);
  });

  test('a poison entry fails the batch; the others are applied one by one and it alone is dead-lettered', async () => {
    const events = Array.from({ length: 4 }, () => orderSimulate());
    const poison = events[2]!.event_id;
    const applied: string[] = [];
    let batchCalls = 0;
    await consumeAll(events, {
      batch: async (entries) => {
        batchCalls++;
        if (entries.some((e) => e.event.event_id === poison)) throw new Error('no such order');
        entries.forEach((e) => applied.push(e.event.event_id));
      },
      one: async (event) => {
        if (event.event_id === poison) throw new Error('no such order');
        applied.push(event.event_id);
      },
    });
    await waitFor(async () => (await deadLetters()) === 1 && (await pending()) === 0, { what: 'poison dead-lettered' });
    expect(applied.sort()).toEqual(events.filter((e) => e.event_id !== poison).map((e) => e.event_id).sort());
    expect(batchCalls).toBe(1);
    const letters = await redis.client.xrange(STREAMS.deadLetters, '-', '+');
    expect(letters[0]?.[1]).toContain(poison);
  });

  test('an infrastructure failure of the batch is retried whole, in place: no attempt counted, no dead letter', async () => {
    const events = Array.from({ length: 3 }, () => orderSimulate());
    let failures = 0;
    const singles: string[] = [];
    const applied: string[][] = [];
    // More failures than STREAM_MAX_RETRIES: counted as attempts, they would dead-letter every entry.
    await consumeAll(events, {
      batch: async (entries) => {
        if (failures++ < fastRetry.maxRetries + 2) throw refused();
        applied.push(entries.map((e) => e.event.event_id));
      },
      one: async (event) => void singles.push(event.event_id),
    });
    await waitFor(async () => applied.length === 1 && (await pending()) === 0, { what: 'applied after the outage' });
    expect(applied).toEqual([events.map((e) => e.event_id)]);
    expect(singles).toEqual([]);
    expect(await deadLetters()).toBe(0);
  });

  test('a single entry goes to its own handler: there is nothing to batch', async () => {
    const [event] = [orderSimulate()];
    const singles: string[] = [];
    let batchCalls = 0;
    await consumeAll([event!], {
      batch: async () => void batchCalls++,
      one: async (e) => void singles.push(e.event_id),
    });
    await waitFor(async () => singles.length === 1 && (await pending()) === 0, { what: 'handled' });
    expect(batchCalls).toBe(0);
  });
});
