import { MongoClient, MongoError, MongoServerError, type ClientSession, type Db, type TransactionOptions } from 'mongodb';
import { DependencyUnavailableError } from '../errors';

export interface MongoHandle {
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
}

/** Deadlines of every MongoDB operation (MONGO_*_TIMEOUT_MS), so a hung or absent server fails fast. */
export interface MongoTimeouts {
  /** No selectable server (down, not primary) within this: the operation fails. */
  serverSelectionMs: number;
  /** A connection that stays silent this long is closed and its operation fails (a paused server). */
  socketMs: number;
  /** A transaction, all its driver retries included, gives up after this. */
  transactionMs: number;
}

export const DEFAULT_MONGO_TIMEOUTS: MongoTimeouts = { serverSelectionMs: 3_000, socketMs: 10_000, transactionMs: 5_000 };

/** Each client's transaction deadline, read by `inTransaction`. */
const transactionDeadlines = new WeakMap<MongoClient, number>();

export async function connectMongo(
  url: string,
  dbName: string,
  appName: string,
  timeouts: Partial<MongoTimeouts> = {},
): Promise<MongoHandle> {
  const t: MongoTimeouts = {
    serverSelectionMs: timeouts.serverSelectionMs ?? DEFAULT_MONGO_TIMEOUTS.serverSelectionMs,
    socketMs: timeouts.socketMs ?? DEFAULT_MONGO_TIMEOUTS.socketMs,
    transactionMs: timeouts.transactionMs ?? DEFAULT_MONGO_TIMEOUTS.transactionMs,
  };
  const client = new MongoClient(url, {
    appName,
    serverSelectionTimeoutMS: t.serverSelectionMs,
    connectTimeoutMS: t.serverSelectionMs,
    socketTimeoutMS: t.socketMs,
    waitQueueTimeoutMS: t.serverSelectionMs,
  });
  transactionDeadlines.set(client, t.transactionMs);
  await client.connect();
  return { client, db: client.db(dbName), close: () => client.close() };
}

/** What runs once a session's current transaction has committed (see `onCommit`). */
const commitHooks = new WeakMap<ClientSession, (() => void)[]>();

/**
 * Runs `hook` as soon as the transaction `inTransaction` is running in `session` commits, before
 * `inTransaction` returns; never if it aborts, and a run that is retried forgets the hooks of the failed run.
 * A hook must not throw. Outside `inTransaction` a hook never runs.
 */
export function onCommit(session: ClientSession, hook: () => void): void {
  const hooks = commitHooks.get(session);
  if (hooks) hooks.push(hook);
  else commitHooks.set(session, [hook]);
}

const hasLabel = (error: unknown, label: string) => error instanceof MongoError && error.hasErrorLabel(label);
const MAX_TIME_MS_EXPIRED = 50;

/**
 * Runs `work` in one transaction (snapshot reads, majority commit), retried as the driver's `withTransaction`
 * does on TransientTransactionError and UnknownTransactionCommitResult, but within the client's transaction
 * deadline instead of the driver's fixed 120 s: past it, a DependencyUnavailableError (an infrastructure
 * failure: HTTP 503, a bus retry that costs no attempt) carries the last error.
 */
export async function inTransaction<T>(client: MongoClient, work: (session: ClientSession) => Promise<T>): Promise<T> {
  const timeoutMs = transactionDeadlines.get(client) ?? DEFAULT_MONGO_TIMEOUTS.transactionMs;
  const deadline = Date.now() + timeoutMs;
  const options: TransactionOptions = {
    readConcern: { level: 'snapshot' },
    writeConcern: { w: 'majority' },
    maxCommitTimeMS: timeoutMs,
  };
  const giveUp = (cause: unknown) =>
    new DependencyUnavailableError(`MongoDB transaction not committed within ${timeoutMs} ms`, cause);
  return client.withSession(async (session) => {
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.random() * Math.min(5 * 1.5 ** attempt, 500)));
      commitHooks.delete(session);
      session.startTransaction(options);
      let result: T;
      try {
        result = await work(session);
      } catch (error) {
        if (session.inTransaction()) await session.abortTransaction().catch(() => undefined);
        if (!hasLabel(error, 'TransientTransactionError')) throw error;
        if (Date.now() >= deadline) throw giveUp(error);
        continue;
      }
      for (;;) {
        try {
          await session.commitTransaction();
          for (const hook of commitHooks.get(session) ?? []) hook();
          commitHooks.delete(session);
          return result;
        } catch (error) {
          const unknownResult = hasLabel(error, 'UnknownTransactionCommitResult') && (error as MongoError).code !== MAX_TIME_MS_EXPIRED;
          if (!unknownResult && !hasLabel(error, 'TransientTransactionError')) throw error;
          if (Date.now() >= deadline) throw giveUp(error);
          if (!unknownResult) break; // transient: run the whole transaction again
        }
      }
    }
  });
}

export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}
