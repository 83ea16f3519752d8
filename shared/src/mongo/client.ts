import {
  MongoClient,
  MongoError,
  MongoNotConnectedError,
  MongoServerError,
  MongoTopologyClosedError,
  type ClientSession,
  type Db,
  type TransactionOptions,
} from 'mongodb';
import type { z } from 'zod';
import type { MongoEnv } from '../config';
import { DependencyUnavailableError } from '../errors';
import { isUnanswered } from '../infra-failure';
import { withOperationDeadline } from './deadline';

export interface MongoHandle {
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
}

/** Deadlines of every MongoDB operation (MONGO_*_TIMEOUT_MS), so a hung or absent server fails fast. */
export interface MongoTimeouts {
  /** No selectable server (down, not primary) within this: the operation fails. */
  serverSelectionMs: number;
  /** Each command's `maxTimeMS` (the commit's too): the server ends an operation that runs longer. */
  operationMs: number;
  /** A connection that stays silent this long is closed and its operation fails (a paused server). */
  socketMs: number;
  /** A transaction, all its driver retries included, gives up after this. */
  transactionMs: number;
}

export const DEFAULT_MONGO_TIMEOUTS: MongoTimeouts = {
  serverSelectionMs: 3_000,
  operationMs: 2_000,
  socketMs: 5_000,
  transactionMs: 5_000,
};

/** The deadlines a loaded configuration sets (MONGO_*_TIMEOUT_MS). */
export function mongoTimeoutsOf(config: Partial<z.infer<typeof MongoEnv>>): Partial<MongoTimeouts> {
  return {
    serverSelectionMs: config.MONGO_SERVER_SELECTION_TIMEOUT_MS,
    operationMs: config.MONGO_OPERATION_TIMEOUT_MS,
    socketMs: config.MONGO_SOCKET_TIMEOUT_MS,
    transactionMs: config.MONGO_TRANSACTION_TIMEOUT_MS,
  };
}

/** Each client's deadlines, read by `inTransaction`. */
const transactionDeadlines = new WeakMap<MongoClient, MongoTimeouts>();

export async function connectMongo(
  url: string,
  dbName: string,
  appName: string,
  timeouts: Partial<MongoTimeouts> = {},
): Promise<MongoHandle> {
  const t: MongoTimeouts = {
    serverSelectionMs: timeouts.serverSelectionMs ?? DEFAULT_MONGO_TIMEOUTS.serverSelectionMs,
    operationMs: timeouts.operationMs ?? DEFAULT_MONGO_TIMEOUTS.operationMs,
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
  transactionDeadlines.set(client, t);
  await client.connect();
  return { client, db: withOperationDeadline(client.db(dbName), t.operationMs), close: () => client.close() };
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

/** How long a session left by `inTransaction` waits for its server to answer again before it is ended anyway. */
const ABANDONED_SESSION_WAIT_MS = 60_000;

/**
 * Ends (aborts) a transaction whose server did not answer, but only once it answers again: a statement sent
 * before (on a connection since closed) may still reach a paused server after an abort sent now, start the
 * transaction there, and hold its documents until the server's transaction lifetime (60 s) runs out.
 */
async function endOnceAnswering(client: MongoClient, session: ClientSession): Promise<void> {
  const giveUpAt = Date.now() + ABANDONED_SESSION_WAIT_MS;
  while (Date.now() < giveUpAt) {
    try {
      await client.db('admin').command({ ping: 1 });
      break;
    } catch (error) {
      if (error instanceof MongoTopologyClosedError || error instanceof MongoNotConnectedError) break; // closed
      await new Promise((r) => setTimeout(r, 500).unref());
    }
  }
  await session.endSession().catch(() => undefined);
}

/**
 * Runs `work` in one transaction (snapshot reads, majority commit), retried as the driver's `withTransaction`
 * does on TransientTransactionError and UnknownTransactionCommitResult, but within the client's transaction
 * deadline instead of the driver's fixed 120 s: past it, a DependencyUnavailableError (an infrastructure
 * failure: HTTP 503, a bus retry that costs no attempt) carries the last error. Each run has a session of its
 * own: one whose server did not answer is ended (its transaction aborted) in the background, once the server
 * answers again, since that abort would wait as long again, twice (the driver retries it). So a silent
 * server costs one socket timeout.
 */
export async function inTransaction<T>(client: MongoClient, work: (session: ClientSession) => Promise<T>): Promise<T> {
  const limits = transactionDeadlines.get(client) ?? DEFAULT_MONGO_TIMEOUTS;
  const timeoutMs = limits.transactionMs;
  const deadline = Date.now() + timeoutMs;
  const options: TransactionOptions = {
    readConcern: { level: 'snapshot' },
    writeConcern: { w: 'majority' },
    maxCommitTimeMS: limits.operationMs,
  };
  const giveUp = (cause: unknown) =>
    new DependencyUnavailableError(`MongoDB transaction not committed within ${timeoutMs} ms`, cause);
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, Math.random() * Math.min(5 * 1.5 ** attempt, 500)));
    const session = client.startSession();
    let unanswered = false;
    try {
      session.startTransaction(options);
      let result: T;
      try {
        result = await work(session);
      } catch (error) {
        unanswered = isUnanswered(error);
        if (session.inTransaction() && !unanswered) await session.abortTransaction().catch(() => undefined);
        if (!hasLabel(error, 'TransientTransactionError')) throw error;
        // Another run on a server that did not answer could wait a whole socket timeout past the deadline.
        if (Date.now() + (unanswered ? limits.socketMs : 0) >= deadline) throw giveUp(error);
        continue;
      }
      for (;;) {
        try {
          await session.commitTransaction();
          for (const hook of commitHooks.get(session) ?? []) hook();
          return result;
        } catch (error) {
          const unknownResult = hasLabel(error, 'UnknownTransactionCommitResult') && (error as MongoError).code !== MAX_TIME_MS_EXPIRED;
          if (!unknownResult && !hasLabel(error, 'TransientTransactionError')) throw error;
          if (Date.now() >= deadline) throw giveUp(error);
          if (!unknownResult) break; // transient: run the whole transaction again
        }
      }
    } finally {
      commitHooks.delete(session);
      if (unanswered) void endOnceAnswering(client, session);
      else await session.endSession().catch(() => undefined);
    }
  }
}

export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}
