import Redis from 'ioredis';
import { parseDeadLetter, STREAMS, type DeadLetter } from '@pizza/shared';

/** One line a person notices: which service gave up on what, and how to look closer. */
export function deadLetterWarning(letter: DeadLetter): string {
  const { group, original_stream: stream, attempts, last_error: error } = letter.meta;
  const service = group.replace(/-group$/, '') || 'a consumer';
  return (
    `dead letter: ${service} (${group || 'unknown group'}) gave up on ${letter.original.event_type ?? 'an entry'} ` +
    `from ${stream} after ${attempts} attempt(s): ${error.replace(/\s+/g, ' ').slice(0, 200)} ` +
    `(npm run dlq -- show ${letter.id})`
  );
}

/**
 * Follows `dead-letters` with a blocking XREAD on a connection of its own and calls `warn` for each new
 * entry. Survives a Redis restart (it resumes after the last entry it saw); stop() ends it.
 */
export async function watchDeadLetters(redisUrl: string, warn: (message: string) => void): Promise<{ stop(): Promise<void> }> {
  const redis = new Redis(redisUrl, { connectionName: 'stack-dead-letter-watch', maxRetriesPerRequest: null });
  let running = true;
  const [newest] = await redis.xrevrange(STREAMS.deadLetters, '+', '-', 'COUNT', 1);
  let lastId = newest?.[0] ?? '0-0';
  const loop = (async () => {
    while (running) {
      try {
        const reply = await redis.xread('COUNT', 100, 'BLOCK', 5_000, 'STREAMS', STREAMS.deadLetters, lastId);
        for (const [, entries] of reply ?? []) {
          for (const [id, fields] of entries) {
            lastId = id;
            warn(deadLetterWarning(parseDeadLetter(id, fields)));
          }
        }
      } catch {
        // Redis restarting, or stop() closing the connection: the loop condition decides.
        if (running) await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      redis.disconnect();
      await loop;
    },
  };
}
