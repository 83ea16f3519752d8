import type Redis from 'ioredis';
import { STREAMS } from '../contract';
import { fieldsFromList, fieldsToList, type StreamFields } from '../envelope';

/**
 * The `dead-letters` stream: what a dead letter holds, and the operator's view of it (list, show,
 * replay, purge). Used by the consumer that writes dead letters and by the tooling that reads them.
 */
export const DEAD_LETTER_META = ['original_stream', 'original_id', 'group', 'consumer', 'attempts', 'last_error', 'failed_at'] as const;
type MetaField = (typeof DEAD_LETTER_META)[number];
export type DeadLetterMeta = Record<MetaField, string>;

/** Field added to a replayed entry: how many times it has come back from `dead-letters`. */
export const REPLAY_COUNT_FIELD = 'replay_count';

/** Meta first, then the original fields unchanged (a clashing original name gets an `original_` prefix). */
export function deadLetterFields(meta: DeadLetterMeta, original: StreamFields): StreamFields {
  const fields: StreamFields = { ...meta };
  for (const [k, v] of Object.entries(original)) fields[k in meta ? `original_${k}` : k] = v;
  return fields;
}

export interface DeadLetter {
  id: string;
  meta: DeadLetterMeta;
  /** The original entry's fields, as they were. */
  original: StreamFields;
}

function parse(id: string, list: string[]): DeadLetter {
  const fields = fieldsFromList(list);
  const meta = {} as DeadLetterMeta;
  for (const name of DEAD_LETTER_META) meta[name] = fields[name] ?? '';
  const original: StreamFields = {};
  for (const [k, v] of Object.entries(fields)) {
    if ((DEAD_LETTER_META as readonly string[]).includes(k)) continue;
    const unprefixed = k.startsWith('original_') ? k.slice('original_'.length) : k;
    original[(DEAD_LETTER_META as readonly string[]).includes(unprefixed) ? unprefixed : k] = v;
  }
  return { id, meta, original };
}

export async function countDeadLetters(redis: Redis): Promise<number> {
  return redis.xlen(STREAMS.deadLetters);
}

/** Newest first. */
export async function listDeadLetters(redis: Redis, limit = 100): Promise<DeadLetter[]> {
  const entries = await redis.xrevrange(STREAMS.deadLetters, '+', '-', 'COUNT', limit);
  return entries.map(([id, list]) => parse(id, list));
}

export async function getDeadLetter(redis: Redis, id: string): Promise<DeadLetter | undefined> {
  const [entry] = await redis.xrange(STREAMS.deadLetters, id, id);
  return entry ? parse(entry[0], entry[1]) : undefined;
}

/**
 * Puts the original fields back on the original stream with the replay counter raised, and deletes the
 * dead letter only after that XADD succeeded: a failure in between leaves a duplicate, never a loss.
 */
export async function replayDeadLetter(redis: Redis, id: string): Promise<{ stream: string; newId: string } | undefined> {
  const letter = await getDeadLetter(redis, id);
  if (!letter) return undefined;
  const stream = letter.meta.original_stream;
  if (!stream) throw new Error(`dead letter ${id} names no original stream`);
  const fields = { ...letter.original, [REPLAY_COUNT_FIELD]: String(Number(letter.original[REPLAY_COUNT_FIELD] ?? 0) + 1) };
  const newId = await redis.xadd(stream, '*', ...fieldsToList(fields));
  await redis.xdel(STREAMS.deadLetters, id);
  return { stream, newId: String(newId) };
}

export async function replayAllDeadLetters(redis: Redis): Promise<number> {
  let replayed = 0;
  for (;;) {
    // Oldest first, so replays keep their original order.
    const batch = await redis.xrange(STREAMS.deadLetters, '-', '+', 'COUNT', 100);
    if (batch.length === 0) return replayed;
    for (const [id] of batch) if (await replayDeadLetter(redis, id)) replayed++;
  }
}

export async function purgeDeadLetters(redis: Redis): Promise<number> {
  const count = await redis.xlen(STREAMS.deadLetters);
  await redis.del(STREAMS.deadLetters);
  return count;
}
