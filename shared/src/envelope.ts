import { randomUUID } from 'node:crypto';
import {
  EVENT_STREAM,
  envelopeSchema,
  isEventType,
  SCHEMA_VERSION,
  TRACEPARENT,
  type Envelope,
  type EventPayload,
  type EventType,
  type StreamName,
} from './contract';
import { zodDetails } from './errors';

/** Flat string fields of one stream entry, as `XRANGE` shows them. */
export type StreamFields = Record<string, string>;

export interface EventOrigin {
  source: string;
  /** The current time; passed in so that builders stay pure in tests. */
  now?: Date;
}

/** A new event with no parent: caused by a request or an operator. */
export function newEvent<T extends EventType>(
  type: T,
  payload: EventPayload<T>,
  origin: EventOrigin & { correlationId?: string },
): Envelope<T> {
  const eventId = randomUUID();
  return envelopeSchema(type).parse({
    event_id: eventId,
    event_type: type,
    schema_version: SCHEMA_VERSION,
    correlation_id: origin.correlationId ?? eventId,
    causation_id: null,
    source: origin.source,
    timestamp: (origin.now ?? new Date()).toISOString(),
    payload,
  });
}

/** An event caused by `parent`: same correlation, causation = the parent's id. */
export function childEvent<T extends EventType>(
  parent: Pick<Envelope, 'event_id' | 'correlation_id'>,
  type: T,
  payload: EventPayload<T>,
  origin: EventOrigin,
): Envelope<T> {
  return envelopeSchema(type).parse({
    event_id: randomUUID(),
    event_type: type,
    schema_version: SCHEMA_VERSION,
    correlation_id: parent.correlation_id,
    causation_id: parent.event_id,
    source: origin.source,
    timestamp: (origin.now ?? new Date()).toISOString(),
    payload,
  });
}

export function streamOf(event: Envelope): StreamName {
  return EVENT_STREAM[event.event_type];
}

/** Envelope → flat stream fields. `causation_id` null is written as an empty string; `traceparent` only when set. */
export function toStreamFields(event: Envelope): StreamFields {
  const fields: StreamFields = {
    event_id: event.event_id,
    event_type: event.event_type,
    schema_version: String(event.schema_version),
    correlation_id: event.correlation_id,
    causation_id: event.causation_id ?? '',
    source: event.source,
    timestamp: event.timestamp,
    payload: JSON.stringify(event.payload),
  };
  if (event.traceparent) fields.traceparent = event.traceparent;
  return fields;
}

export type DecodeResult =
  | { ok: true; event: Envelope }
  | { ok: false; reason: 'unknown_type'; eventType: string }
  | { ok: false; reason: 'invalid'; error: string };

/** Flat stream fields → a validated envelope, or why not. */
export function fromStreamFields(fields: StreamFields): DecodeResult {
  const eventType = fields.event_type ?? '';
  if (!isEventType(eventType)) {
    if (eventType === '') return { ok: false, reason: 'invalid', error: 'event_type: missing' };
    return { ok: false, reason: 'unknown_type', eventType };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(fields.payload ?? '');
  } catch {
    return { ok: false, reason: 'invalid', error: 'payload: not valid JSON' };
  }
  const parsed = envelopeSchema(eventType).safeParse({
    event_id: fields.event_id,
    event_type: eventType,
    schema_version: Number(fields.schema_version),
    correlation_id: fields.correlation_id,
    causation_id: fields.causation_id ? fields.causation_id : null,
    source: fields.source,
    timestamp: fields.timestamp,
    // Trace context is advice: a malformed one is dropped, never a reason to refuse the event.
    ...(fields.traceparent && TRACEPARENT.test(fields.traceparent)
      ? { traceparent: fields.traceparent }
      : {}),
    payload,
  });
  if (parsed.success) return { ok: true, event: parsed.data };
  return {
    ok: false,
    reason: 'invalid',
    error: zodDetails(parsed.error)
      .map((d) => `${d.path}: ${d.message}`)
      .join('; '),
  };
}

/** Redis replies fields as a flat [k1, v1, k2, v2, …] list. */
export function fieldsFromList(list: readonly string[]): StreamFields {
  const fields: StreamFields = {};
  for (let i = 0; i + 1 < list.length; i += 2) fields[list[i]!] = list[i + 1]!;
  return fields;
}

export function fieldsToList(fields: StreamFields): string[] {
  return Object.entries(fields).flat();
}
