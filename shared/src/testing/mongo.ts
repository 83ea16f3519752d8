import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';

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

/**
 * The commands a client sends while `work` runs, by name (`find`, `update`, `commitTransaction`…), in order.
 * The client must be created with `monitorCommands: true`.
 */
export async function commandsDuring(client: MongoClient, work: () => Promise<unknown>): Promise<string[]> {
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
