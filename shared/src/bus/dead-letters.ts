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
/**
 * Field added to a replayed entry: the one consumer group it is meant for (the group that failed it).
 * Every other group acks it without handling it: they had applied the original already.
 */
export const REPLAY_GROUP_FIELD = 'replay_group';

/** Whether `fields` are a dead letter replayed for a group other than `group` (which must skip it). */
export function replayedForAnotherGroup(fields: StreamFields, group: string): boolean {
  const target = fields[REPLAY_GROUP_FIELD];
  return target !== undefined && target !== group;
}

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

/** One `dead-letters` entry as XRANGE returns it. */
export function parseDeadLetter(id: string, list: string[]): DeadLetter {
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
  return entries.map(([id, list]) => parseDeadLetter(id, list));
}

export async function getDeadLetter(redis: Redis, id: string): Promise<DeadLetter | undefined> {
  const [entry] = await redis.xrange(STREAMS.deadLetters, id, id);
  return entry ? parseDeadLetter(entry[0], entry[1]) : undefined;
}

function replayTarget(letter: DeadLetter): { stream: string; group: string | undefined; fields: string[] } {
  const stream = letter.meta.original_stream;
  if (!stream) throw new Error(`dead letter ${letter.id} names no original stream`);
  const fields: StreamFields = {
    ...letter.original,
    [REPLAY_COUNT_FIELD]: String(Number(letter.original[REPLAY_COUNT_FIELD] ?? 0) + 1),
  };
  // A dead letter from before groups were recorded goes back to every group, as it used to.
  if (letter.meta.group) fields[REPLAY_GROUP_FIELD] = letter.meta.group;
  else delete fields[REPLAY_GROUP_FIELD];
  return { stream, group: fields[REPLAY_GROUP_FIELD], fields: fieldsToList(fields) };
}

/**
 * Puts the original fields back on the original stream with the replay counter raised, addressed to the
 * group that failed it, and deletes the dead letter only after that XADD succeeded: a failure in between
 * leaves a duplicate, never a loss.
 */
export async function replayDeadLetter(
  redis: Redis,
  id: string,
): Promise<{ stream: string; group: string | undefined; newId: string } | undefined> {
  const letter = await getDeadLetter(redis, id);
  if (!letter) return undefined;
  const { stream, group, fields } = replayTarget(letter);
  // No MAXLEN: like the publisher, a replay leaves trimming to the trimmer, which never drops what a group still needs.
  const newId = await redis.xadd(stream, '*', ...fields);
  await redis.xdel(STREAMS.deadLetters, id);
  return { stream, group, newId: String(newId) };
}

/**
 * Replays the dead letters there were when it started, oldest first (so replays keep their order): an entry
 * that fails again while it runs lands after the bound and waits for the next replay instead of looping.
 * Per page, one pipeline of XADDs, then one of XDELs for exactly the letters whose XADD succeeded.
 */
export async function replayAllDeadLetters(redis: Redis): Promise<number> {
  const [newest] = await redis.xrevrange(STREAMS.deadLetters, '+', '-', 'COUNT', 1);
  if (!newest) return 0;
  const last = newest[0];
  let replayed = 0;
  let start = '-';
  for (;;) {
    const batch = await redis.xrange(STREAMS.deadLetters, start, last, 'COUNT', PAGE);
    if (batch.length === 0) return replayed;
    const targets = batch.map(([id, list]) => replayTarget(parseDeadLetter(id, list)));
    const adds = redis.pipeline();
    for (const { stream, fields } of targets) adds.xadd(stream, '*', ...fields);
    const added = (await adds.exec()) ?? [];
    const done = batch.filter((_, i) => added[i] !== undefined && !added[i]![0]).map(([id]) => id);
    if (done.length > 0) await redis.xdel(STREAMS.deadLetters, ...done);
    replayed += done.length;
    const failed = added.find(([error]) => error);
    if (failed || added.length < batch.length) throw failed?.[0] ?? new Error('replay: not every XADD answered');
    if (batch.length < PAGE) return replayed;
    start = `(${batch[batch.length - 1]![0]}`;
  }
}

const PAGE = 100;

/** Counts and deletes in one transaction: the count is exactly what was deleted. */
export async function purgeDeadLetters(redis: Redis): Promise<number> {
  const results = await redis.multi().xlen(STREAMS.deadLetters).del(STREAMS.deadLetters).exec();
  if (!results) throw new Error('purge: transaction aborted');
  const [[error, count] = [null, 0]] = results;
  if (error) throw error;
  return Number(count);
}
