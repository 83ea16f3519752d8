import {
  context,
  createContextKey,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';

/**
 * The bus's spans. Every helper first checks `enabled`: with no SDK registered (OTEL_EXPORTER_OTLP_ENDPOINT
 * unset) each costs one boolean test. Trace context crosses the bus as the envelope's `traceparent` field.
 */
let enabled = false;
const tracer = trace.getTracer('@pizza/shared');

export function setTracingEnabled(on: boolean): void {
  enabled = on;
}

export function tracingEnabled(): boolean {
  return enabled;
}

/** Batch application: the entry (by event id) whose span an event caused by it continues. */
const ENTRY_CONTEXTS = createContextKey('pizza.bus.entry-contexts');

function traceparentOf(ctx: Context): string | undefined {
  const carrier: { traceparent?: string } = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent;
}

function contextOf(traceparent: string | undefined): Context {
  return traceparent ? propagation.extract(context.active(), { traceparent }) : context.active();
}

/**
 * `trace_id` and `span_id` of the active span, for log lines (pino's mixin: called per line); empty when none.
 * A new object each time: pino merges the line's own fields into it.
 */
export function activeTraceFields(): { trace_id?: string; span_id?: string } {
  if (!enabled) return {};
  const span = trace.getActiveSpan()?.spanContext();
  return span ? { trace_id: span.traceId, span_id: span.spanId } : {};
}

/**
 * Runs `run` in the context `traceparent` names, even when that span has ended: what it logs carries the
 * span's ids (a handler's failure is logged after its consumer span closed).
 */
export function inTraceOf<T>(traceparent: string | undefined, run: () => T): T {
  if (!enabled || !traceparent) return run();
  return context.with(contextOf(traceparent), run);
}

/** The traceparent of the active span (a handler passes it on where an event is not the carrier). */
export function activeTraceparent(): string | undefined {
  return enabled ? traceparentOf(context.active()) : undefined;
}

interface Publishable {
  event_id: string;
  event_type: string;
  causation_id: string | null;
  traceparent?: string;
}

/**
 * Gives each event a producer span, child of what is running now (a request, a handler), and its traceparent.
 * An event that already carries one keeps it. In a batch, an event continues the span of the entry that
 * caused it (its causation id), so each order's events stay in that order's trace.
 */
export function withProducerSpans<E extends Publishable>(
  events: readonly E[],
  streamOf: (event: E) => string,
): E[] {
  if (!enabled) return events as E[];
  const active = context.active();
  const entries = active.getValue(ENTRY_CONTEXTS) as Map<string, Context> | undefined;
  return events.map((event) => {
    if (event.traceparent) return event;
    const parent = (event.causation_id && entries?.get(event.causation_id)) || active;
    const stream = streamOf(event);
    const span = tracer.startSpan(
      `${stream} publish`,
      {
        kind: SpanKind.PRODUCER,
        attributes: messaging(stream, event),
      },
      parent,
    );
    span.end();
    return { ...event, traceparent: traceparentOf(trace.setSpan(parent, span)) };
  });
}

function messaging(stream: string, event: Pick<Publishable, 'event_id' | 'event_type'>) {
  return {
    'messaging.system': 'redis',
    'messaging.destination.name': stream,
    'messaging.message.id': event.event_id,
    'pizza.event_type': event.event_type,
  };
}

export interface ConsumedEntry {
  stream: string;
  group: string;
  entryId: string;
  attempt: number;
  event: { event_id: string; event_type: string; correlation_id: string; traceparent?: string };
}

function consumerSpan(entry: ConsumedEntry, links?: Link[]): Span {
  return tracer.startSpan(
    `${entry.stream} process`,
    {
      kind: SpanKind.CONSUMER,
      links,
      attributes: {
        ...messaging(entry.stream, entry.event),
        'messaging.consumer.group.name': entry.group,
        'messaging.redis.entry_id': entry.entryId,
        'pizza.attempt': entry.attempt,
        'pizza.correlation_id': entry.event.correlation_id,
      },
    },
    contextOf(entry.event.traceparent),
  );
}

async function endAfter<T>(spans: Span[], run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    for (const span of spans) {
      span.recordException(error as Error);
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
    }
    throw error;
  } finally {
    for (const span of spans) span.end();
  }
}

/** Runs one entry's handler in a consumer span, child of the span that published the entry. */
export function inConsumerSpan<T>(
  entry: ConsumedEntry,
  run: (traceparent?: string) => Promise<T>,
): Promise<T> {
  if (!enabled) return run();
  const span = consumerSpan(entry);
  const ctx = trace.setSpan(contextOf(entry.event.traceparent), span);
  return endAfter([span], () => context.with(ctx, () => run(traceparentOf(ctx))));
}

/**
 * Runs a batch handler in one span linked to every entry's producer; each entry also gets its own consumer
 * span in its own trace, which the events it causes continue (see `withProducerSpans`). `run` is given each
 * entry's traceparent, in order.
 */
export function inBatchSpan<T>(
  entries: readonly ConsumedEntry[],
  run: (traceparents: (string | undefined)[]) => Promise<T>,
): Promise<T> {
  if (!enabled) return run([]);
  const group = entries[0]?.group ?? '';
  const links = entries.flatMap((entry) => {
    const linked = trace.getSpanContext(contextOf(entry.event.traceparent));
    return linked ? [{ context: linked }] : [];
  });
  const batch = tracer.startSpan(
    `${group} batch`,
    {
      kind: SpanKind.CONSUMER,
      links,
      attributes: { 'messaging.consumer.group.name': group, 'messaging.batch.message_count': entries.length },
    },
    context.active(),
  );
  const batchLink = [{ context: batch.spanContext() }];
  const perEntry = entries.map((entry) => {
    const span = consumerSpan(entry, batchLink);
    return {
      span,
      ctx: trace.setSpan(contextOf(entry.event.traceparent), span),
      eventId: entry.event.event_id,
    };
  });
  const byEvent = new Map(perEntry.map(({ eventId, ctx }) => [eventId, ctx]));
  const ctx = trace.setSpan(context.active(), batch).setValue(ENTRY_CONTEXTS, byEvent);
  return endAfter([batch, ...perEntry.map((e) => e.span)], () =>
    context.with(ctx, () => run(perEntry.map((e) => traceparentOf(e.ctx)))),
  );
}

/** Runs `push` (a WebSocket send of a state) in a span continuing the trace the state came from. */
export function inPushSpan<T>(
  name: string,
  traceparent: string | undefined,
  attributes: Record<string, string | number>,
  push: () => T,
): T {
  if (!enabled || !traceparent) return push();
  const span = tracer.startSpan(name, { kind: SpanKind.PRODUCER, attributes }, contextOf(traceparent));
  try {
    return context.with(trace.setSpan(context.active(), span), push);
  } finally {
    span.end();
  }
}
