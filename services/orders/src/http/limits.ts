import type { RequestHandler } from 'express';
import type Redis from 'ioredis';
import { z } from 'zod';
import { redisRateLimit, TOKEN_FAILURES_LIMIT, TokenFailuresEnv, type Logger } from '@pizza/shared';
import { DEMO_LOAD_MAX_PER_SECOND } from '@pizza/shared/contract';
import { isAdminRequest } from './admin';
import { admission, type AdmissionConfig } from './admission';

const int = (fallback: number, min: number) => z.coerce.number().int().min(min).default(fallback);

/**
 * Per-client rate limits of the API; each counts per client address within RATE_LIMIT_WINDOW_MS. Wrong tracking
 * tokens (404 on an order read or cancel) share their settings and budget with the gateway's token checks.
 */
export const RateLimitEnv = TokenFailuresEnv.extend({
  /** Order placements (POST /orders), whatever their outcome. */
  RATE_LIMIT_ORDERS: int(20, 1),
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

/**
 * Order placements carrying the admin token (the demo load, from the system page or `npm run demo:load`) are
 * not one customer: they are held to the demo's own bound (its highest rate over the window) instead of the
 * per-client limit, which they would exhaust in a second. A wrong token is an ordinary client.
 */
export function orderLimits(
  config: RateLimitConfig & AdmissionConfig,
  deps: { redis: Redis; logger: Logger; adminToken: string },
): OrderLimits {
  const windowMs = config.RATE_LIMIT_WINDOW_MS;
  const perClient = redisRateLimit({ ...deps, name: 'orders', limit: config.RATE_LIMIT_ORDERS, windowMs });
  const demo = redisRateLimit({
    ...deps,
    name: 'demo-orders',
    limit: Math.ceil((DEMO_LOAD_MAX_PER_SECOND * windowMs) / 1000),
    windowMs,
  });
  return {
    admission: admission(config, deps),
    placement: (req, res, next) => (isAdminRequest(req, deps.adminToken) ? demo : perClient)(req, res, next),
    tokenFailures: redisRateLimit({
      ...deps,
      name: TOKEN_FAILURES_LIMIT,
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
