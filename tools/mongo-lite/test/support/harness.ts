// Conformance-suite harness: the official driver against MONGO_URL when set (real MongoDB, unchanged),
// otherwise against a mongo-lite started for the test file. Each file gets a fresh database, dropped after.
import { randomUUID } from 'node:crypto';
import { MongoClient, type Db, type MongoClientOptions } from 'mongodb';
import { start, type RunningServer } from '../../src/server';

export const EXTERNAL = !!process.env.MONGO_URL;

// Contended transactions back off inside the driver (up to 500 ms per retry), so allow more than 5 s.
jest.setTimeout(60_000);

export interface MongoFixture {
  uri: string;
  client: MongoClient;
  db: Db;
  /** Present only when the test started mongo-lite itself. */
  server: RunningServer | undefined;
  /** Another client, closed in afterAll; `uri` defaults to the fixture's. */
  newClient(uri?: string, options?: MongoClientOptions): Promise<MongoClient>;
}

export function useMongo(): MongoFixture {
  const fixture = {} as MongoFixture;
  const extraClients: MongoClient[] = [];
  beforeAll(async () => {
    fixture.server = EXTERNAL ? undefined : await start({ port: 0 });
    fixture.uri = process.env.MONGO_URL ?? (fixture.server as RunningServer).uri;
    fixture.client = await MongoClient.connect(fixture.uri);
    fixture.db = fixture.client.db(`conformance_${randomUUID().replace(/-/g, '').slice(0, 12)}`);
    fixture.newClient = async (uri, options) => {
      const c = await MongoClient.connect(uri ?? fixture.uri, options);
      extraClients.push(c);
      return c;
    };
  });
  afterAll(async () => {
    await fixture.db?.dropDatabase().catch(() => undefined);
    for (const c of extraClients) await c.close();
    await fixture.client?.close();
    await fixture.server?.stop();
  });
  return fixture;
}

/** Polls `check` until it returns true, failing after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function errorCode(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'number'
    ? err.code
    : undefined;
}
