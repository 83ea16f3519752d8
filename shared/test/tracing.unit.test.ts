import { Writable } from 'node:stream';
import pino from 'pino';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import {
  deadLetterFields,
  fieldsToList,
  fromStreamFields,
  newEvent,
  parseDeadLetter,
  streamOf,
  toStreamFields,
  type Envelope,
} from '../src';
import { createLogger } from '../src/logger';
import {
  activeTraceFields,
  inBatchSpan,
  inConsumerSpan,
  inPushSpan,
  inTraceOf,
  setTracingEnabled,
  withProducerSpans,
  type ConsumedEntry,
} from '../src/tracing/spans';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const simulate = (correlationId?: string) =>
  newEvent(
    'order.simulate',
    { order_id: 'o1', next_status: 'confirmed' },
    { source: 'orders', correlationId },
  );
const consumed = (event: Envelope, entryId = '1-0'): ConsumedEntry => ({
  stream: streamOf(event),
  group: 'simulator-group',
  entryId,
  attempt: 1,
  event,
});

describe('the envelope carries trace context as an optional traceparent field', () => {
  test('written and read back when set; absent when not', () => {
    const plain = simulate();
    expect(toStreamFields(plain)).not.toHaveProperty('traceparent');
    const traced = { ...plain, traceparent: TRACEPARENT };
    expect(toStreamFields(traced).traceparent).toBe(TRACEPARENT);
    expect(fromStreamFields(toStreamFields(traced))).toEqual({ ok: true, event: traced });
  });

  test('a dead letter keeps it, so its replay continues the trace', () => {
    const original = toStreamFields({ ...simulate(), traceparent: TRACEPARENT });
    const meta = {
      original_stream: 'simulate-order-stream',
      original_id: '1-0',
      group: 'simulator-group',
      consumer: 'c',
      attempts: '5',
      last_error: 'boom',
      failed_at: new Date().toISOString(),
    };
    const letter = parseDeadLetter('2-0', fieldsToList(deadLetterFields(meta, original)));
    expect(letter.original.traceparent).toBe(TRACEPARENT);
  });

  test('a malformed traceparent is dropped, never a reason to refuse the event', () => {
    const fields = { ...toStreamFields(simulate()), traceparent: 'not-a-trace' };
    const decoded = fromStreamFields(fields);
    expect(decoded.ok).toBe(true);
    expect(decoded.ok && decoded.event).not.toHaveProperty('traceparent');
  });
});

describe('with tracing off (no SDK registered)', () => {
  test('every helper passes through: no span, no traceparent, no log fields', async () => {
    const events = [simulate()];
    expect(withProducerSpans(events, streamOf)).toBe(events);
    expect(activeTraceFields()).toEqual({});
    // pino merges each line's fields into what its mixin returns
    expect(Object.isExtensible(activeTraceFields())).toBe(true);
    await expect(inConsumerSpan(consumed(events[0]!), async (tp) => tp)).resolves.toBeUndefined();
    await expect(inBatchSpan([consumed(events[0]!)], async (tps) => tps)).resolves.toEqual([]);
    expect(inPushSpan('ws push', TRACEPARENT, {}, () => 'pushed')).toBe('pushed');
  });
});

describe('with tracing on', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  beforeAll(() => {
    provider.register();
    setTracingEnabled(true);
  });
  afterAll(async () => {
    setTracingEnabled(false);
    await provider.shutdown();
  });
  beforeEach(() => exporter.reset());
  const spans = () => exporter.getFinishedSpans();
  const spanOf = (tp: string | undefined) => tp?.split('-')[2];
  const traceOf = (tp: string | undefined) => tp?.split('-')[1];

  test('a published event gets a producer span and its traceparent; one that has one keeps it', () => {
    const [fresh, kept] = withProducerSpans(
      [simulate(), { ...simulate(), traceparent: TRACEPARENT }],
      streamOf,
    );
    expect(fresh?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(kept?.traceparent).toBe(TRACEPARENT);
    expect(spans()).toHaveLength(1);
    expect(spans()[0]).toMatchObject({ kind: SpanKind.PRODUCER, name: 'simulate-order-stream publish' });
    expect(spans()[0]?.spanContext().spanId).toBe(spanOf(fresh?.traceparent));
  });

  test("a consumer span is the child of the entry's producer, and what it publishes and logs is in its trace", async () => {
    const entry = { ...simulate(), traceparent: TRACEPARENT };
    const lines: string[] = [];
    const logger = pino(
      { mixin: activeTraceFields },
      new Writable({ write: (c, _e, done) => (lines.push(String(c)), done()) }),
    );
    const published = await inConsumerSpan(consumed(entry), async (traceparent) => {
      expect(traceOf(traceparent)).toBe(traceOf(TRACEPARENT));
      logger.info('handling');
      return withProducerSpans([simulate()], streamOf)[0];
    });
    const consumer = spans().find((s) => s.kind === SpanKind.CONSUMER);
    expect(consumer?.parentSpanContext?.spanId).toBe(spanOf(TRACEPARENT));
    expect(consumer?.spanContext().traceId).toBe(traceOf(TRACEPARENT));
    expect(traceOf(published?.traceparent)).toBe(traceOf(TRACEPARENT));
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      trace_id: traceOf(TRACEPARENT),
      span_id: consumer?.spanContext().spanId,
    });
    // the one logger of every service has this mixin
    const real = createLogger({ service: 'x' }) as unknown as Record<symbol, unknown>;
    expect(real[pino.symbols.mixinSym]).toBe(activeTraceFields);
  });

  test("a line logged after a consumer span ended, in that span's context, carries its ids", async () => {
    const lines: string[] = [];
    const logger = pino(
      { mixin: activeTraceFields },
      new Writable({ write: (c, _e, done) => (lines.push(String(c)), done()) }),
    );
    const traceparent = await inConsumerSpan(
      consumed({ ...simulate(), traceparent: TRACEPARENT }),
      async (tp) => tp,
    );
    logger.warn('outside');
    inTraceOf(traceparent, () => logger.warn('handler failed'));
    expect(JSON.parse(lines[0] ?? '{}')).not.toHaveProperty('trace_id');
    expect(JSON.parse(lines[1] ?? '{}')).toMatchObject({
      trace_id: traceOf(TRACEPARENT),
      span_id: spanOf(traceparent),
    });
  });

  test("a batch span links to every entry; each entry's events continue that entry's trace", async () => {
    const other = '00-11111111111111111111111111111111-2222222222222222-01';
    const a = { ...simulate(), traceparent: TRACEPARENT };
    const b = { ...simulate(), traceparent: other };
    const caused = await inBatchSpan([consumed(a, '1-0'), consumed(b, '2-0')], async (traceparents) => {
      expect(traceparents.map(traceOf)).toEqual([traceOf(TRACEPARENT), traceOf(other)]);
      // as a batch handler writes them: the events of both entries in one outbox call
      const childOf = (parent: Envelope) => ({
        ...simulate(parent.correlation_id),
        causation_id: parent.event_id,
      });
      return withProducerSpans([childOf(a), childOf(b)], streamOf);
    });
    const batch = spans().find((s) => s.name === 'simulator-group batch');
    expect(batch?.links.map((l) => l.context.spanId)).toEqual([spanOf(TRACEPARENT), spanOf(other)]);
    expect(caused.map((e) => traceOf(e.traceparent))).toEqual([traceOf(TRACEPARENT), traceOf(other)]);
  });

  test('a WebSocket push continues the trace of the change it pushes', () => {
    inPushSpan('ws push', TRACEPARENT, { 'pizza.status': 'confirmed' }, () => undefined);
    expect(spans()[0]).toMatchObject({ name: 'ws push', kind: SpanKind.PRODUCER });
    expect(spans()[0]?.parentSpanContext?.spanId).toBe(spanOf(TRACEPARENT));
  });
});
