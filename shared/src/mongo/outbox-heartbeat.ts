import type Redis from 'ioredis';

/**
 * The outbox relay's heartbeat in Redis, so that the system view (which reads only Redis) can show each
 * outbox's oldest-unpublished age: one SET with a TTL every few seconds per relay process. A missing key
 * means no relay has written lately.
 */
export const OUTBOX_HEARTBEAT_KEY = (outbox: string) => `outbox:heartbeat:${outbox}`;
export const OUTBOX_HEARTBEAT_MS = 2_000;
export const OUTBOX_HEARTBEAT_TTL_S = 10;

export interface OutboxHeartbeat {
  /** Seconds the oldest unpublished entry has waited (0 when empty). */
  oldest_age_s: number;
  at: string;
}

export async function writeOutboxHeartbeat(redis: Redis, outbox: string, ageSeconds: number): Promise<void> {
  const beat: OutboxHeartbeat = {
    oldest_age_s: Math.round(ageSeconds * 10) / 10,
    at: new Date().toISOString(),
  };
  await redis.set(OUTBOX_HEARTBEAT_KEY(outbox), JSON.stringify(beat), 'EX', OUTBOX_HEARTBEAT_TTL_S);
}
