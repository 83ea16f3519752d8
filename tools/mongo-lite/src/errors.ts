// Errors carry mongod's numeric code and code name so driver retry logic behaves as in production.
import { MingoError } from 'mingo/util';
import type { Doc } from './bson';

export const Codes = {
  BadValue: 2,
  FailedToParse: 9,
  Unauthorized: 13,
  TypeMismatch: 14,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  CursorNotFound: 43,
  NamespaceExists: 48,
  MaxTimeMSExpired: 50,
  InvalidIdField: 53,
  CommandNotFound: 59,
  ConflictingUpdateOperators: 40,
  ImmutableField: 66,
  InvalidOptions: 72,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  OperationNotSupportedInTransaction: 263,
  WriteConflict: 112,
  ConflictingOperationInProgress: 117,
  TransactionTooOld: 225,
  NoSuchTransaction: 251,
  TransactionCommitted: 256,
  TransactionTooLarge: 257,
  ExceededTimeLimit: 262,
  DuplicateKey: 11000,
  InternalError: 1,
} as const;

export type CodeName = keyof typeof Codes;

const names = new Map<number, string>(Object.entries(Codes).map(([k, v]) => [v, k]));

export function codeName(code: number): string {
  return names.get(code) ?? 'UnknownError';
}

export interface MongoErrorOptions {
  labels?: string[];
  extra?: Doc;
}

export class MongoError extends Error {
  readonly code: number;
  readonly labels: string[];
  readonly extra: Doc;

  constructor(name: CodeName, message: string, options: MongoErrorOptions = {}) {
    super(message);
    this.code = Codes[name];
    this.labels = options.labels ?? [];
    this.extra = options.extra ?? {};
  }

  get codeName(): string {
    return codeName(this.code);
  }

  /** The error as a command reply body (without ok, added by the dispatcher). */
  toReply(): Doc {
    const reply: Doc = {
      ok: 0,
      errmsg: this.message,
      code: this.code,
      codeName: this.codeName,
      ...this.extra,
    };
    if (this.labels.length) reply.errorLabels = [...this.labels];
    return reply;
  }

  /** The error as an entry of a write command's writeErrors. */
  toWriteError(index: number): Doc {
    return { index, code: this.code, errmsg: this.message, ...this.extra };
  }
}

export const TRANSIENT = 'TransientTransactionError';

export function writeConflict(): MongoError {
  return new MongoError(
    'WriteConflict',
    'Write conflict during plan execution and yielding is disabled. :: Please retry your operation or multi-document transaction.',
    { labels: [TRANSIENT] },
  );
}

export function badValue(message: string): MongoError {
  return new MongoError('BadValue', message);
}

/** Wraps whatever was thrown as a mongod-shaped error: mingo's errors mean a bad query or update. */
export function asMongoError(err: unknown): MongoError {
  if (err instanceof MongoError) return err;
  if (err instanceof MingoError) return new MongoError('BadValue', err.message);
  const message = err instanceof Error ? err.message : String(err);
  return new MongoError('InternalError', message);
}
