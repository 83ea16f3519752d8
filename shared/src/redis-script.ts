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

export interface ScriptCall {
  keys: readonly string[];
  args: readonly (string | number)[];
}

export interface RedisScript<R extends z.ZodType> {
  (keys: readonly string[], args: readonly (string | number)[]): Promise<z.infer<R>>;
  /**
   * Several calls in one round trip (a pipeline, run in order, each call atomic but not the whole). The
   * first failing call's error is thrown, after every call has run.
   */
  many(calls: readonly ScriptCall[]): Promise<z.infer<R>[]>;
}

const isNoScript = (error: unknown) => error instanceof Error && error.message.startsWith('NOSCRIPT');

/**
 * The one way to run a Lua script: EVALSHA (the script body is sent again only when Redis answers NOSCRIPT,
 * e.g. after a restart), and the reply checked against its schema, so callers get a typed value or an error
 * naming the script, never a cast.
 */
export function defineScript<R extends z.ZodType>(redis: Redis, spec: ScriptSpec<R>): RedisScript<R> {
  const sha = createHash('sha1').update(spec.lua).digest('hex');
  const parse = (raw: unknown): z.infer<R> => {
    const reply = spec.reply.safeParse(raw);
    if (!reply.success) {
      throw new Error(`script ${spec.name} replied ${JSON.stringify(raw)}: ${reply.error.message}`);
    }
    return reply.data;
  };
  const one = async (keys: readonly string[], args: readonly (string | number)[]) => {
    let raw: unknown;
    try {
      raw = await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      raw = await redis.eval(spec.lua, keys.length, ...keys, ...args);
    }
    return parse(raw);
  };
  const many = async (calls: readonly ScriptCall[]) => {
    const run = async (list: readonly ScriptCall[]) => {
      const pipeline = redis.pipeline();
      for (const { keys, args } of list) pipeline.evalsha(sha, keys.length, ...keys, ...args);
      return (await pipeline.exec()) ?? [];
    };
    let replies = await run(calls);
    // Not loaded (Redis restarted): load it and run again only the calls that did not run.
    const notRun = calls.filter((_, i) => isNoScript(replies[i]?.[0]));
    if (notRun.length > 0) {
      await redis.script('LOAD', spec.lua);
      const again = await run(notRun);
      replies = replies.map((reply) => (isNoScript(reply[0]) ? again.shift()! : reply));
    }
    const failed = replies.find(([error]) => error);
    if (failed) throw failed[0];
    return replies.map(([, raw]) => parse(raw));
  };
  return Object.assign(one, { many });
}
