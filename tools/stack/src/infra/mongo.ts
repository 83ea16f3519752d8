// docs/contract.md: MongoDB is `MONGO_URL` if set; otherwise a mongodb-memory-server replica set when a
// mongod binary can be had; otherwise the offline stand-in (mongo-lite), started as a child process so
// its CPU load stays out of the caller's event loop. One log line says which one is in use.
import { accessSync, constants } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { delimiter, dirname, join } from 'node:path';
import { freePort } from './ports';
import { spawnChild, waitForLine, type ChildHandle } from './process';

export interface MongoInstance {
  /** A connection string the driver can run transactions on (replicaSet=rs0 or directConnection=true). */
  url: string;
  kind: 'external' | 'memory-server' | 'mongo-lite';
  /** The server's process id when it runs as our child (mongo-lite). */
  pid?: number;
  /** The server's process when it runs as our child (mongo-lite). */
  handle?: ChildHandle;
  /** Where it keeps its data, when it keeps any. */
  dbpath?: string;
  stop(): Promise<void>;
}

/** Which MongoDB, in words for the start log. */
export const MONGO_KIND_TEXT: Record<MongoInstance['kind'], string> = {
  external: 'the server named by MONGO_URL',
  'memory-server': 'a local mongod run by mongodb-memory-server',
  'mongo-lite': 'mongo-lite, the built-in stand-in for development',
};

export interface ResolveMongoOptions {
  log?: (msg: string) => void;
  /**
   * Keep data in this directory (memory-server: `<dbpath>/mongod`, mongo-lite: `<dbpath>/mongo-lite`, as
   * their files differ); in memory when absent.
   */
  dbpath?: string;
}

const START_TIMEOUT_MS = 30_000;
const DOWNLOAD_TIMEOUT_MS = 180_000;
const PROBE_TIMEOUT_MS = 3_000;
const STOP_GRACE_MS = 5_000;

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

function onPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Whether a TCP connection to host:port opens within the deadline; leaves no socket or timer behind. */
export function reachable(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function downloadHost(): { host: string; port: number } {
  const raw =
    process.env.MONGOMS_DOWNLOAD_URL || process.env.MONGOMS_DOWNLOAD_MIRROR || 'https://fastdl.mongodb.org';
  try {
    const u = new URL(raw);
    return { host: u.hostname, port: Number(u.port) || (u.protocol === 'http:' ? 80 : 443) };
  } catch {
    return { host: 'fastdl.mongodb.org', port: 443 };
  }
}

/** Rejects after `ms` unless `work` settles first; the timer never outlives the race. */
async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A one-member mongodb-memory-server replica set, or undefined (with the reason) when no mongod can be
 * had: no MONGOMS_SYSTEM_BINARY, no mongod on PATH, none cached, and the download host unreachable.
 */
async function tryMemoryServer(dbpath: string | undefined): Promise<MongoInstance | string> {
  const { DryMongoBinary, MongoMemoryReplSet } = await import('mongodb-memory-server');
  const systemBinary = process.env.MONGOMS_SYSTEM_BINARY || onPath('mongod');
  let haveBinary = !!systemBinary;
  if (!haveBinary) {
    try {
      haveBinary = !!(await DryMongoBinary.locateBinary(DryMongoBinary.getEnsuredOptions()));
    } catch {
      haveBinary = false;
    }
  }
  if (!haveBinary) {
    const { host, port } = downloadHost();
    if (!(await reachable(host, port, PROBE_TIMEOUT_MS))) return `no mongod on this machine and none to download from ${host}`;
  }
  // A kept replica set names its member host:port in its own config: come back on the port it had.
  const instanceOpts = dbpath ? [{ dbPath: dbpath, port: await keptPort(dbpath) }] : [];
  const replSet = new MongoMemoryReplSet({
    binary: systemBinary ? { systemBinary } : {},
    replSet: { count: 1, name: 'rs0', storageEngine: 'wiredTiger' },
    instanceOpts,
  });
  try {
    await withTimeout(
      replSet.start(),
      haveBinary ? START_TIMEOUT_MS : DOWNLOAD_TIMEOUT_MS,
      'mongodb-memory-server',
    );
    await withTimeout(replSet.waitUntilRunning(), START_TIMEOUT_MS, 'mongodb-memory-server');
  } catch (err) {
    await replSet.stop({ doCleanup: true, force: !dbpath }).catch(() => undefined);
    return `mongodb-memory-server failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
  }
  return {
    url: replSet.getUri(),
    kind: 'memory-server',
    stop: async () => {
      // A kept dbPath stays; a temporary one goes.
      await replSet.stop({ doCleanup: true, force: !dbpath });
    },
  };
}

/** The port a kept mongod used last time (saved next to its data), or a free one, saved for next time. */
async function keptPort(dbpath: string): Promise<number> {
  const file = join(dbpath, 'pizza-port');
  const saved = Number(await readFile(file, 'utf8').catch(() => ''));
  if (Number.isInteger(saved) && saved > 0) return saved;
  const port = await freePort();
  await mkdir(dbpath, { recursive: true });
  await writeFile(file, String(port));
  return port;
}

/**
 * mongo-lite in a child process, on `port` (default: one it picks itself); stop() sends SIGTERM, then
 * SIGKILL.
 */
export async function startMongoLite(
  options: { dbpath?: string; port?: number } = {},
): Promise<MongoInstance & { pid: number | undefined; handle: ChildHandle }> {
  const bin = join(dirname(require.resolve('mongo-lite/package.json')), 'bin', 'mongo-lite.js');
  const args = [bin, '--port', String(options.port ?? 0), '--exit-with-parent'];
  if (options.dbpath) args.push('--dbpath', options.dbpath);
  const handle = spawnChild(process.execPath, args);
  let line: string;
  try {
    line = await waitForLine(handle, (l) => l.includes('"listening"'), {
      timeoutMs: START_TIMEOUT_MS,
      what: 'mongo-lite',
    });
  } catch (err) {
    await handle.stop(1_000);
    throw err;
  }
  handle.child.stdout?.resume();
  handle.child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  const { uri } = JSON.parse(line) as { uri: string };
  return {
    url: uri,
    kind: 'mongo-lite',
    pid: handle.child.pid,
    handle,
    dbpath: options.dbpath,
    stop: () => handle.stop(STOP_GRACE_MS),
  };
}

export async function resolveMongo(opts: ResolveMongoOptions = {}): Promise<MongoInstance> {
  const log = opts.log ?? (() => undefined);
  const external = process.env.MONGO_URL;
  if (external) {
    log(`mongo: using MONGO_URL (${redact(external)})`);
    return { url: external, kind: 'external', stop: async () => undefined };
  }
  const kept = (name: string) => (opts.dbpath ? join(opts.dbpath, name) : undefined);
  const where = (dir: string | undefined) => (dir ? `, data in ${dir}` : '');
  const memory = await tryMemoryServer(kept('mongod')).catch(
    (err: unknown) => `mongodb-memory-server unavailable: ${String(err)}`,
  );
  if (typeof memory !== 'string') {
    log(`mongo: ${MONGO_KIND_TEXT['memory-server']} at ${memory.url}${where(kept('mongod'))}`);
    return memory;
  }
  const lite = await startMongoLite({ dbpath: kept('mongo-lite') });
  log(`mongo: ${MONGO_KIND_TEXT['mongo-lite']}, at ${lite.url}${where(kept('mongo-lite'))} (${memory}; set MONGO_URL to use a MongoDB server)`);
  return lite;
}
