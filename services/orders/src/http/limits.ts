import type { RequestHandler } from 'express';
import type Redis from 'ioredis';
import { z } from 'zod';
import { redisRateLimit, type Logger } from '@pizza/shared';
import { admission, type AdmissionConfig } from './admission';

const int = (fallback: number, min: number) => z.coerce.number().int().min(min).default(fallback);

/** Per-client rate limits of the API; each counts per client address within RATE_LIMIT_WINDOW_MS. */
export const RateLimitEnv = z.object({
  RATE_LIMIT_WINDOW_MS: int(60_000, 100),
  /** Order placements (POST /orders), whatever their outcome. */
  RATE_LIMIT_ORDERS: int(20, 1),
  /** Wrong tracking tokens (404 on an order read or cancel): guessing stops here. */
  RATE_LIMIT_TOKEN_FAILURES: int(20, 1),
  /** Wrong admin tokens (401). */
  RATE_LIMIT_ADMIN_FAILURES: int(10, 1),
});
export type RateLimitConfig = z.infer<typeof RateLimitEnv>;

export interface OrderLimits {
  /** Admission control: sheds order placements past the in-flight or backlog bound. */
  admission: RequestHandler;
  placement: RequestHandler;
  tokenFailures: RequestHandler;
  adminFailures: RequestHandler;
}

export function orderLimits(
  config: RateLimitConfig & AdmissionConfig,
  deps: { redis: Redis; logger: Logger },
): OrderLimits {
  const windowMs = config.RATE_LIMIT_WINDOW_MS;
  return {
    admission: admission(config, deps),
    placement: redisRateLimit({ ...deps, name: 'orders', limit: config.RATE_LIMIT_ORDERS, windowMs }),
    tokenFailures: redisRateLimit({
      ...deps,
      name: 'token-failures',
      limit: config.RATE_LIMIT_TOKEN_FAILURES,
      windowMs,
      counts: (res) => res.statusCode === 404,
    }),
    adminFailures: redisRateLimit({
      ...deps,
      name: 'admin-failures',
      limit: config.RATE_LIMIT_ADMIN_FAILURES,
      windowMs,
      counts: (res) => res.statusCode === 401,
    }),
  };
}
