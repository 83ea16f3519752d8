import type Redis from 'ioredis';
import { z } from 'zod';
import { defineScript } from '../redis-script';

/**
 * The bus's atomic multi-key operations, each one Lua script. Redis runs a script as one unit, so no other
 * client ever sees a half-done move.
 */

/**
 * dead_letter: move one pending entry to the dead-letter stream.
 * KEYS[1] the original stream, KEYS[2] the dead-letter stream.
 * ARGV[1] group, ARGV[2] entry id, ARGV[3] dead-letter MAXLEN (approximate), ARGV[4..] field/value pairs.
 * Writes the dead letter only while the entry is still pending in the group, then acks it, so an entry is
 * never in both places and never dead-lettered twice (two consumers racing after a claim). The XADD comes
 * first: if it fails (a script is not rolled back) nothing has changed and the entry stays pending.
 * Returns the new id or false.
 */
const DEAD_LETTER = `
if redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)[1] == nil then
  return false
end
local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', unpack(ARGV, 4))
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
return id
`;

/**
 * claim_with_counts: XAUTOCLAIM plus each claimed entry's delivery counter, in one round trip.
 * KEYS[1] stream, KEYS[2] the dead-letter stream. ARGV[1] group, ARGV[2] consumer, ARGV[3] min idle ms,
 * ARGV[4] start id, ARGV[5] count, ARGV[6] dead-letter MAXLEN (approximate), ARGV[7] now (ISO time).
 * A pending entry deleted from the stream (trimmed or XDELed before the group acked it) is dropped from the
 * pending list by XAUTOCLAIM itself (Redis 7 names it in a third element); in the same script it becomes a
 * dead letter with last_error `trimmed`, so its loss is recorded, never silent.
 * Returns {next_start_id, {{id, {fields…}, delivery_count}…}, {deleted ids…}}.
 */
const CLAIM_WITH_COUNTS = `
local claimed = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], 'COUNT', ARGV[5])
local out = {}
for i, entry in ipairs(claimed[2]) do
  local info = redis.call('XPENDING', KEYS[1], ARGV[1], entry[1], entry[1], 1)
  local count = 1
  if info[1] then count = info[1][4] end
  out[i] = {entry[1], entry[2], count}
end
local deleted = claimed[3] or {}
for _, id in ipairs(deleted) do
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[6], '*', 'original_stream', KEYS[1], 'original_id', id,
    'group', ARGV[1], 'consumer', ARGV[2], 'attempts', 'unknown', 'last_error', 'trimmed', 'failed_at', ARGV[7])
end
return {claimed[1], out, deleted}
`;

const ClaimedEntry = z.tuple([z.string(), z.array(z.string()).nullable(), z.number()]);
/** What claim_with_counts answers: where to go on, the claimed entries with their counters, the deleted ids. */
const ClaimReply = z.tuple([z.string(), z.array(ClaimedEntry), z.array(z.string())]);
export type ClaimReply = z.infer<typeof ClaimReply>;

export interface BusScripts {
  deadLetter(stream: string, deadLetters: string, group: string, id: string, maxLen: number, fields: string[]): Promise<string | null>;
  claimWithCounts(
    stream: string,
    deadLetters: string,
    group: string,
    consumer: string,
    claim: { minIdleMs: number; start: string; count: number; deadLettersMaxLen: number },
  ): Promise<ClaimReply>;
}

export function defineBusScripts(redis: Redis): BusScripts {
  const deadLetter = defineScript(redis, { name: 'dead_letter', lua: DEAD_LETTER, reply: z.string().nullable() });
  const claimWithCounts = defineScript(redis, { name: 'claim_with_counts', lua: CLAIM_WITH_COUNTS, reply: ClaimReply });
  return {
    deadLetter: (stream, deadLetters, group, id, maxLen, fields) =>
      deadLetter([stream, deadLetters], [group, id, maxLen, ...fields]),
    claimWithCounts: (stream, deadLetters, group, consumer, c) =>
      claimWithCounts(
        [stream, deadLetters],
        [group, consumer, c.minIdleMs, c.start, c.count, c.deadLettersMaxLen, new Date().toISOString()],
      ),
  };
}
