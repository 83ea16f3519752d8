import { z } from 'zod';
import { parseTrustProxy } from './http/client-address';

/** A bad or missing environment variable: the message names it. */
export class ConfigError extends Error {
  readonly code = 'config_error';
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(`Invalid environment: ${issues.map((i) => `${i.variable}: ${i.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

function isTrustProxy(setting: string): boolean {
  try {
    parseTrustProxy(setting);
    return true;
  } catch {
    return false;
  }
}

const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

/**
 * Bounds of every service's HTTP server. TRUST_PROXY is express's `trust proxy` setting: which peers may
 * name the client in X-Forwarded-For (`loopback`: only a proxy on this host, as `npm start`'s gateway).
 */
export const HttpEnv = z.object({
  HTTP_HEADERS_TIMEOUT_MS: int(10_000, 100),
  HTTP_REQUEST_TIMEOUT_MS: int(30_000, 100),
  HTTP_MAX_CONNECTIONS: int(16_384, 1),
  HTTP_MAX_BODY_BYTES: int(16 * 1024, 1),
  TRUST_PROXY: z
    .string()
    .refine(isTrustProxy, 'must be true, false, a hop count, or addresses/subnets separated by commas')
    .default('loopback'),
});

/**
 * OpenTelemetry: spans go over OTLP/HTTP to `<endpoint>/v1/traces` when the endpoint is set, and nothing is
 * traced when it is not. The service name defaults to the service's own (SERVICE_NAME).
 */
export const TracingEnv = z.object({
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
});

/** Variables every service reads. A service extends this with its own. */
export const BaseEnv = z.object({
  SERVICE_NAME: z.string().min(1).optional(),
  CONSUMER_NAME: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HTTP_PORT: int(0).pipe(z.number().max(65535)),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }),
  STREAM_MAX_RETRIES: int(5, 1),
  STREAM_CLAIM_IDLE_MS: int(30_000, 10),
  STREAM_MAXLEN: int(100_000, 100),
  STREAM_TRIM_INTERVAL_MS: int(10_000, 10),
  DEAD_LETTERS_MAXLEN: int(1_000_000, 100),
  REDIS_COMMAND_TIMEOUT_MS: int(5_000, 10),
  SHUTDOWN_TIMEOUT_MS: int(10_000, 100),
  ...HttpEnv.shape,
  ...TracingEnv.shape,
});

export const MongoEnv = z.object({
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URL'),
  MONGO_DB: z.string().min(1).default('pizza'),
  MONGO_SERVER_SELECTION_TIMEOUT_MS: int(3_000, 10),
  MONGO_OPERATION_TIMEOUT_MS: int(2_000, 10),
  MONGO_SOCKET_TIMEOUT_MS: int(5_000, 10),
  MONGO_TRANSACTION_TIMEOUT_MS: int(5_000, 10),
});

/**
 * Parses the environment against a schema. Throws a ConfigError naming every bad variable,
 * so `main` can print it and exit before anything starts.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => ({
      variable: issue.path.join('.') || '(environment)',
      message: issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message,
    })),
  );
}
