import type Redis from 'ioredis';
import { fieldsFromList, STREAMS } from '@pizza/shared';

/** Dead letters read per recount: the view counts the newest this many. */
export const TALLY_LIMIT = 2_000;

/**
 * Dead letters per `stream|group`, from the `group` and `original_stream` fields of each letter. Recounted
 * only when the stream's length or last id changed since the last count (a write, a replay or a purge), so an
 * idle system costs nothing here.
 */
export class DeadLetterTally {
  private seen = '';
  private counts = new Map<string, number>();

  async update(redis: Redis, length: number, lastId: string): Promise<void> {
    const mark = `${length}:${lastId}`;
    if (mark === this.seen) return;
    const entries =
      length === 0 ? [] : await redis.xrevrange(STREAMS.deadLetters, '+', '-', 'COUNT', TALLY_LIMIT);
    const counts = new Map<string, number>();
    for (const [, list] of entries) {
      const f = fieldsFromList(list);
      const key = `${f.original_stream ?? ''}|${f.group ?? ''}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    this.counts = counts;
    this.seen = mark;
  }

  of(stream: string, group: string): number {
    return this.counts.get(`${stream}|${group}`) ?? 0;
  }
}
