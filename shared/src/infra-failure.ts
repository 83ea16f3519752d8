import { DependencyUnavailableError } from './errors';

/**
 * The one classifier of failures: an infrastructure failure is a dependency that did not answer or cannot
 * serve right now (connection refused or reset, a timeout, no server selectable, not primary, a transient
 * transaction, Redis loading or busy). It says nothing about the message or request being handled, so the
 * bus retries it with backoff without counting an attempt, and HTTP answers 503. Anything else (validation,
 * a domain refusal, a handler bug) is the message's own fault.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'EHOSTDOWN',
  'ENETUNREACH', 'ENETDOWN', 'ENOTFOUND', 'EAI_AGAIN',
]);

const MONGO_ERROR_NAMES = new Set([
  'MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoServerSelectionError', 'MongoTopologyClosedError',
  'MongoNotConnectedError', 'MongoOperationTimeoutError', 'MongoPoolClearedError', 'MongoWaitQueueTimeoutError',
  'MongoServerClosedError',
]);

const MONGO_LABELS = ['TransientTransactionError', 'UnknownTransactionCommitResult', 'RetryableWriteError'];

/** Server codes: HostUnreachable, HostNotFound, MaxTimeMSExpired, NetworkTimeout, ShutdownInProgress,
 * PrimarySteppedDown, ExceededTimeLimit, SocketException, NotWritablePrimary, InterruptedAtShutdown,
 * InterruptedDueToReplStateChange, NotPrimaryNoSecondaryOk, NotPrimaryOrSecondary. */
const MONGO_CODES = new Set([6, 7, 50, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);

/**
 * The driver sometimes re-wraps a network error and keeps only its message (a bulk write that lost its
 * connection is a MongoBulkWriteError "read ECONNRESET", with no code and no cause).
 */
const MONGO_NETWORK_MESSAGE = /\b(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)\b|^connection .* (closed|timed out)|^Server selection timed out/;

/** MongoDB errors of a server that did not answer at all (as opposed to one that refused an operation). */
const MONGO_NO_ANSWER_NAMES = new Set([
  'MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoServerSelectionError', 'MongoServerClosedError',
  'MongoPoolClearedError', 'MongoWaitQueueTimeoutError',
]);

/** Redis replies that mean "not now" (BUSYGROUP is not one: `\b` keeps it out). */
const REDIS_REPLY = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|NOREPLICAS|MISCONF)\b/;
/** ioredis's own: a closed connection, a command past `commandTimeout`, retries per request exhausted. */
const REDIS_CLIENT = /^(Connection is closed|Command timed out|Stream isn't writeable|Reached the max retries per request limit)/;

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
  hasErrorLabel?: unknown;
}

function isOwnInfraFailure(error: ErrorLike): boolean {
  if (error instanceof DependencyUnavailableError) return true;
  if (typeof error.code === 'string' && NETWORK_CODES.has(error.code)) return true;
  if (typeof error.name === 'string' && (MONGO_ERROR_NAMES.has(error.name) || error.name === 'MaxRetriesPerRequestError')) return true;
  const mongo = typeof error.name === 'string' && error.name.startsWith('Mongo');
  if (mongo && typeof error.code === 'number' && MONGO_CODES.has(error.code)) return true;
  if (typeof error.hasErrorLabel === 'function') {
    const has = error.hasErrorLabel as (label: string) => boolean;
    if (MONGO_LABELS.some((label) => has.call(error, label))) return true;
  }
  const message = typeof error.message === 'string' ? error.message : '';
  if (mongo && MONGO_NETWORK_MESSAGE.test(message)) return true;
  return REDIS_REPLY.test(message) || REDIS_CLIENT.test(message);
}

/** Whether `error`, or anything it wraps (`cause`, an AggregateError's `errors`), is an infrastructure failure. */
export function isInfraFailure(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const e = error as ErrorLike;
  if (isOwnInfraFailure(e)) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isInfraFailure(inner, depth + 1))) return true;
  return isInfraFailure(e.cause, depth + 1);
}

/**
 * Whether `error` (or what it wraps) says the MongoDB server did not answer: a lost or silent connection, no
 * server selectable. Anything more sent to it now is likely to wait as long, so it is not waited on twice.
 */
export function isUnanswered(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const e = error as ErrorLike;
  const name = typeof e.name === 'string' ? e.name : '';
  if (MONGO_NO_ANSWER_NAMES.has(name)) return true;
  if (name.startsWith('Mongo') && typeof e.message === 'string' && MONGO_NETWORK_MESSAGE.test(e.message)) return true;
  return isUnanswered(e.cause, depth + 1);
}
