import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { AppError } from '../errors';
import { isInfraFailure } from '../infra-failure';
import type { Logger } from '../logger';
import { collectDefaultMetrics, histogram, LATENCY_BUCKETS, registry } from '../metrics';
import { parseTrustProxy, type TrustProxy } from './client-address';
import { pathOf } from './path';

/** A named readiness check: resolves when the dependency answers. */
export type ReadinessChecks = Record<string, () => Promise<unknown>>;

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface HttpAppOptions {
  logger: Logger;
  readiness: ReadinessChecks;
  /** Which peers may name the client in X-Forwarded-For (TRUST_PROXY); default: loopback only. */
  trustProxy?: TrustProxy;
  /** A request whose Content-Length is larger is refused with 413 before its body is read. */
  maxBodyBytes?: number;
}

/**
 * Every service's HTTP basics: liveness, readiness with named checks, /metrics, request duration, a debug
 * line per request (its path only: the query may hold a token), oversized bodies refused on their
 * Content-Length, and (via `finishApp`) the contract's JSON errors.
 */
export function createHttpApp(options: HttpAppOptions): Express {
  collectDefaultMetrics();
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? parseTrustProxy('loopback'));

  const duration = histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route', 'status_code'],
    buckets: LATENCY_BUCKETS,
  });
  app.use((req, res, next) => {
    const stop = duration.startTimer();
    res.on('finish', () => {
      // The matched route pattern, never the raw path: ids would explode the label set.
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      const seconds = stop({ method: req.method, route, status_code: String(res.statusCode) });
      options.logger.debug(
        { method: req.method, path: pathOf(req.originalUrl), status: res.statusCode, duration_s: seconds },
        'request',
      );
    });
    next();
  });
  if (options.maxBodyBytes !== undefined) app.use(refuseLargeBodies(options.maxBodyBytes));

  app.get('/api/v1/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/api/v1/health', async (_req, res) => {
    const results = await Promise.all(
      Object.entries(options.readiness).map(async ([name, check]) => {
        try {
          await withTimeout(check(), CHECK_TIMEOUT_MS);
          return [name, { status: 'up' }] as const;
        } catch (error) {
          return [name, { status: 'down', error: error instanceof Error ? error.message : String(error) }] as const;
        }
      }),
    );
    const down = results.filter(([, r]) => r.status === 'down').map(([name]) => name);
    const checks = Object.fromEntries(results);
    if (down.length === 0) {
      res.json({ status: 'ready', checks });
      return;
    }
    res.status(503).json({
      error: { code: 'not_ready', message: `Not ready: ${down.join(', ')} down`, details: { down, checks } },
    });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return app;
}

/**
 * 413 on the declared length alone: the body parser would read a too-large body to its end before
 * answering. The connection is closed after the answer, so the body is never read.
 */
function refuseLargeBodies(maxBytes: number): RequestHandler {
  return (req, res, next) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (!(declared > maxBytes)) return next();
    res.set('Connection', 'close');
    sendError(res, 413, 'payload_too_large', `Request body too large (at most ${maxBytes} bytes)`);
  };
}

export function sendError(res: express.Response, status: number, code: string, message: string, details?: unknown) {
  res.status(status).json({ error: details === undefined ? { code, message } : { code, message, details } });
}

/** What a 503 for an unavailable dependency tells the client to wait, in seconds. */
export const RETRY_AFTER_SECONDS = 2;
/** At most one log line per this interval for requests refused because a dependency is down. */
const INFRA_LOG_INTERVAL_MS = 10_000;

/** Adds the 404 fallback and the one error mapper. Call after the routes. */
export function finishApp(app: Express, logger: Logger): void {
  const notFound: RequestHandler = (_req, res) => sendError(res, 404, 'not_found', 'No such route');
  let infraLoggedAt = 0;
  let infraUnlogged = 0;
  const mapError: ErrorRequestHandler = (error: unknown, _req, res, next) => {
    // Too late for an error body: Express's own handler closes the connection.
    if (res.headersSent) return next(error);
    // MongoDB or Redis down or too slow: nothing about the request is wrong, so say when to try again.
    if (isInfraFailure(error)) {
      if (Date.now() - infraLoggedAt >= INFRA_LOG_INTERVAL_MS) {
        logger.warn({ err: error, refused_since_last_line: infraUnlogged }, 'dependency unavailable; answering 503');
        infraLoggedAt = Date.now();
        infraUnlogged = 0;
      } else infraUnlogged++;
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      return sendError(res, 503, 'not_ready', 'A dependency is unavailable; retry later');
    }
    if (error instanceof AppError) {
      if (error.httpStatus < 500) return sendError(res, error.httpStatus, error.code, error.message, error.details);
      logger.error({ err: error }, 'request failed');
      return sendError(res, error.httpStatus, 'internal_error', 'Internal error'); // its message may say too much
    }
    const status = (error as { status?: unknown; type?: unknown }).status;
    const type = (error as { type?: unknown }).type;
    if (type === 'entity.too.large') return sendError(res, 413, 'payload_too_large', 'Request body too large');
    if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
      return sendError(res, 415, 'unsupported_media_type', error instanceof Error ? error.message : 'Unsupported media type');
    }
    if (type === 'entity.parse.failed') {
      return sendError(res, 400, 'validation_error', 'Request body is not valid JSON', [{ path: '(body)', message: 'not valid JSON' }]);
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendError(res, status, 'bad_request', error instanceof Error ? error.message : 'Bad request');
    }
    logger.error({ err: error }, 'unhandled error');
    sendError(res, 500, 'internal_error', 'Internal error'); // never a stack trace
  };
  app.use(notFound);
  app.use(mapError);
}
