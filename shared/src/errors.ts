import type { ErrorCode } from './contract';

/** A failure with a machine code. HTTP maps it through `httpStatus`; the bus reads `retryable`. */
export class AppError extends Error {
  readonly code: ErrorCode | string;
  readonly httpStatus: number;
  readonly retryable: boolean;
  readonly details: unknown;

  constructor(
    message: string,
    options: { code: ErrorCode | string; httpStatus?: number; retryable?: boolean; details?: unknown; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.httpStatus = options.httpStatus ?? 500;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super(message, { code: 'validation_error', httpStatus: 400, details });
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Not found') {
    super(message, { code: 'not_found', httpStatus: 404 });
  }
}

export class ConflictError extends AppError {
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message, { code, httpStatus: 409, details });
  }
}

/** An event that can never be handled (it is malformed, or it contradicts what we know): dead-letter it at once. */
export class PoisonMessageError extends AppError {
  constructor(message: string, details?: unknown) {
    super(message, { code: 'poison_message', retryable: false, details });
  }
}

/**
 * A dependency (MongoDB, Redis, the network) failed, not the message or the request: HTTP answers 503 with
 * Retry-After, and the bus retries without counting an attempt (see `isInfraFailure`).
 */
export class DependencyUnavailableError extends AppError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'not_ready', httpStatus: 503, retryable: true, cause });
  }
}

interface ZodIssueLike {
  path: readonly PropertyKey[];
  message: string;
  code?: string;
  keys?: readonly string[];
}

/**
 * Turns a zod error into the contract's `details`: one `{path, message}` per offending field. An unknown
 * field is named by its own path (`customer.phone`), not its parent's.
 */
export function zodDetails(error: { issues: readonly ZodIssueLike[] }) {
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String);
    const paths = issue.code === 'unrecognized_keys' && issue.keys?.length ? issue.keys.map((k) => [...base, k]) : [base];
    return paths.map((path) => ({ path: path.join('.') || '(body)', message: issue.message }));
  });
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
