import { randomBytes } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { createLogger } from '../logger';
import { Outbox } from '../mongo/outbox';

/**
 * A database name no other run uses (`<prefix>_<random>`): stacks that share one MongoDB through
 * `MONGO_URL` then never see each other's orders or stock, and nothing accumulates across runs.
 */
export function uniqueDbName(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/**
 * Drops `dbNames` on the MongoDB named by `MONGO_URL`, if one is set. Without it every stack ran its own
 * private server, and the data went with it.
 */
export async function dropExternalDbs(...dbNames: string[]): Promise<void> {
  const url = process.env.MONGO_URL;
  if (!url || dbNames.length === 0) return;
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 10_000 });
  try {
    await client.connect();
    for (const name of dbNames) await client.db(name).dropDatabase();
  } finally {
    await client.close();
  }
}

/** A client that reports the commands it sends, for `commandsDuring`. The caller closes it. */
export function countingClient(url: string): Promise<MongoClient> {
  return MongoClient.connect(url, { monitorCommands: true, serverSelectionTimeoutMS: 2_000 });
}

/** The commands a client (from `countingClient`) sends while `work` runs, by name (`find`, `update`…), in order. */
export async function commandsDuring(client: MongoClient, work: () => Promise<unknown>): Promise<string[]> {
  // Without it the client reports nothing, and any "no more than" expectation would pass untested.
  if (!client.options.monitorCommands) throw new Error('commandsDuring needs a client from countingClient');
  const names: string[] = [];
  const record = (event: { commandName: string }) => names.push(event.commandName);
  client.on('commandStarted', record);
  try {
    await work();
  } finally {
    client.off('commandStarted', record);
  }
  return names;
}

/** An outbox of a test's own in `db`, which no relay empties: what a use case wrote to it stays countable. */
export function unrelayedOutbox(db: Db): { outbox: Outbox; count(): Promise<number> } {
  const collection = 'unrelayed_test_outbox';
  const logger = createLogger({ service: 'test', level: 'silent' });
  const outbox = new Outbox({
    db,
    bus: { publishRaw: async () => [] },
    logger,
    name: 'unrelayed-test',
    collection,
  });
  return { outbox, count: () => db.collection(collection).countDocuments() };
}
