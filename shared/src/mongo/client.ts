import { MongoClient, MongoServerError, type ClientSession, type Db } from 'mongodb';

export interface MongoHandle {
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
}

export async function connectMongo(url: string, dbName: string, appName: string): Promise<MongoHandle> {
  const client = new MongoClient(url, { appName, serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  return { client, db: client.db(dbName), close: () => client.close() };
}

/**
 * Runs `work` in one transaction (snapshot reads, majority commit), retried as the driver's
 * `withTransaction` does on TransientTransactionError and UnknownTransactionCommitResult.
 */
export async function inTransaction<T>(client: MongoClient, work: (session: ClientSession) => Promise<T>): Promise<T> {
  return client.withSession((session) =>
    session.withTransaction(() => work(session), {
      readConcern: { level: 'snapshot' },
      writeConcern: { w: 'majority' },
    }),
  );
}

export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}
