import type { RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type Redis from 'ioredis';
import { z } from 'zod';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Logger } from '../logger';
import { counter } from '../metrics';
import { sendError } from './app';

/**
 * rate-limit-redis loads its Lua scripts once, when the limiter is made. If Redis was away then, the
 * promise stays rejected for good: load them again on the next request instead.
 */
class ReloadingRedisStore extends RedisStore {
  override async increment(key: string) {
    this.incrementScriptSha = this.incrementScriptSha.catch(() => this.loadIncrementScript());
    return super.increment(key);
  }

  /** What express-rate-limit's `init` does, for a store counted outside express (WebSocket upgrades). */
  useWindow(windowMs: number): this {
    this.windowMs = windowMs;
    this.incrementScriptSha = this.loadIncrementScript();
    this.incrementScriptSha.catch(() => undefined); // loaded again on the first increment
    return this;
  }
}

/** The counts of limit `name`, in Redis: every limit of that name, HTTP or not, shares them. */
function storeOf(name: string, redis: Redis): ReloadingRedisStore {
  return new ReloadingRedisStore({
    prefix: `rate-limit:${name}:`,
    sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
  });
}

function limitedCounter() {
  return counter({
    name: 'http_requests_limited_total',
    help: 'Requests refused with 429 by a rate limit',
    labelNames: ['limit'],
  });
}

/** The limit on failed tracking token checks: its name in Redis, and its settings. */
export const TOKEN_FAILURES_LIMIT = 'token-failures';
export const TokenFailuresEnv = z.object({
  /** The window of every rate limit. */
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(100).default(60_000),
  /** Wrong tracking tokens per client and window, over HTTP and WebSocket together. */
  RATE_LIMIT_TOKEN_FAILURES: z.coerce.number().int().min(1).default(20),
});

export interface RateLimitOptions {
  /** Names the limit in Redis keys, the metric and the 429 message: `orders`, `token-failures`… */
  name: string;
  redis: Redis;
  logger: Logger;
  /** Requests counted per client address and window before 429. */
  limit: number;
  windowMs: number;
  /** Count only the answers this accepts (e.g. 404s of wrong tokens); default: every request. */
  counts?: (res: Response) => boolean;
}

/**
 * A per-client limit whose counts live in Redis, so every replica sees the same ones. Over the limit: 429
 * with Retry-After and the contract's error body. If Redis cannot be reached the request is let through:
 * the limit is a guard against abuse, and an order must not fail because the counter is down.
 */
export function redisRateLimit(options: RateLimitOptions): RequestHandler {
  const limited = limitedCounter();
  const counts = options.counts;
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    passOnStoreError: true,
    store: storeOf(options.name, options.redis),
    ...(counts && { skipSuccessfulRequests: true, requestWasSuccessful: (_req, res) => !counts(res) }),
    logger: {
      error: (err, message) =>
        options.logger.warn({ err, limit: options.name }, message ?? 'rate limit store failed'),
      warn: (err, message) =>
        options.logger.warn({ err, limit: options.name }, message ?? 'rate limit warning'),
    },
    handler: (_req, res) => {
      limited.inc({ limit: options.name });
      sendError(res, 429, 'rate_limited', `Too many requests (${options.name}); try again later`);
    },
  });
}

/** One attempt counted by a {@link FailureLimit}: refused, or to be settled once its outcome is known. */
export type LimitedAttempt =
  | { limited: true; retryAfterSeconds: number }
  | {
      limited: false;
      /** A failure keeps its count; anything else gives it back. Only the first call counts. */
      settle(failed: boolean): void;
    };

export interface FailureLimit {
  attempt(address: string): Promise<LimitedAttempt>;
}

/**
 * The counting of {@link redisRateLimit} with `counts`, for attempts that are not express requests (a WebSocket
 * upgrade whose token is checked after it): the same store, key and window, so a limit of the same name counts
 * an address's failures over HTTP and here together, on every replica. As over HTTP, an attempt is counted when
 * it starts, refused when that makes it pass the limit (and then given back), and given back when it ends in
 * anything but a failure; so once an address has used its failures, even a right token waits for the window.
 * If Redis cannot be reached the attempt passes unlimited (logged), as over HTTP.
 */
export function redisFailureLimit(options: Omit<RateLimitOptions, 'counts'>): FailureLimit {
  const limited = limitedCounter();
  const store = storeOf(options.name, options.redis).useWindow(options.windowMs);
  const warn = (err: unknown, message: string) => options.logger.warn({ err, limit: options.name }, message);
  return {
    async attempt(address) {
      const key = ipKeyGenerator(address);
      let counted: { totalHits: number; resetTime?: Date | undefined };
      try {
        counted = await store.increment(key);
      } catch (err) {
        warn(err, 'rate limit store failed; allowing the attempt without rate-limiting');
        return { limited: false, settle: () => undefined };
      }
      let settled = false;
      const giveBack = () => {
        if (settled) return;
        settled = true;
        // A count whose window has passed is gone already: a DECR would leave -1 without an expiry.
        if (counted.resetTime && Date.now() >= counted.resetTime.getTime()) return;
        store.decrement(key).catch((err: unknown) => warn(err, 'rate limit store failed during decrement'));
      };
      if (counted.totalHits > options.limit) {
        giveBack();
        limited.inc({ limit: options.name });
        const left = counted.resetTime ? counted.resetTime.getTime() - Date.now() : options.windowMs;
        return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil(left / 1000)) };
      }
      return {
        limited: false,
        settle: (failed) => {
          if (failed) settled = true;
          else giveBack();
        },
      };
    },
  };
}
