import type { RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type Redis from 'ioredis';
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
}

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
  const limited = counter({
    name: 'http_requests_limited_total',
    help: 'Requests refused with 429 by a rate limit',
    labelNames: ['limit'],
  });
  const counts = options.counts;
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    passOnStoreError: true,
    store: new ReloadingRedisStore({
      prefix: `rate-limit:${options.name}:`,
      sendCommand: (command: string, ...args: string[]) =>
        options.redis.call(command, ...args) as Promise<RedisReply>,
    }),
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
