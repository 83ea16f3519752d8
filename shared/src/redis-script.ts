import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import type { z } from 'zod';

export interface ScriptSpec<R extends z.ZodType> {
  /** Named in the error when the reply does not match. */
  name: string;
  lua: string;
  /** What the script returns, as ioredis hands it over (Lua tables are arrays, false is null). */
  reply: R;
}

export type RedisScript<R extends z.ZodType> = (
  keys: readonly string[],
  args: readonly (string | number)[],
) => Promise<z.infer<R>>;

/**
 * The one way to run a Lua script: EVALSHA (the script body is sent again only when Redis answers NOSCRIPT,
 * e.g. after a restart), and the reply checked against its schema, so callers get a typed value or an error
 * naming the script, never a cast.
 */
export function defineScript<R extends z.ZodType>(redis: Redis, spec: ScriptSpec<R>): RedisScript<R> {
  const sha = createHash('sha1').update(spec.lua).digest('hex');
  return async (keys, args) => {
    let raw: unknown;
    try {
      raw = await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      raw = await redis.eval(spec.lua, keys.length, ...keys, ...args);
    }
    const reply = spec.reply.safeParse(raw);
    if (!reply.success) {
      throw new Error(`script ${spec.name} replied ${JSON.stringify(raw)}: ${reply.error.message}`);
    }
    return reply.data;
  };
}
