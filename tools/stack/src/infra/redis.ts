import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';
import { spawnChild, waitForLine, type ChildHandle } from './process';

export interface RedisInstance {
  url: string;
  kind: 'external' | 'private';
  port?: number;
  /** The private server's process id, when we started one. */
  pid?: number;
  /** The private server's process, when we started one. */
  handle?: ChildHandle;
  /** Its data folder, when it was given one to keep. */
  dir?: string;
  stop(): Promise<void>;
}

/**
 * A redis-server left running on `dir` by a launcher that was killed outright (nothing could stop it):
 * two servers appending to one file would corrupt it, so it is stopped first. Only a process that is
 * still a redis-server counts; the pid file alone could name a reused pid.
 */
async function stopOrphan(pidFile: string): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return; // no pid file: no server ever ran here, or it stopped cleanly
  }
  if (!Number.isInteger(pid) || pid <= 0) return;
  const command = spawnSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8' }).stdout?.trim() ?? '';
  if (!command.startsWith('redis-server')) return;
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < 10_000; waited += 50) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  process.kill(pid, 'SIGKILL');
}

/**
 * A private `redis-server` on a free loopback port, with its data in a temporary folder that `stop()`
 * removes, or in `dir`, which stays. AOF can be turned on for tests that restart Redis.
 */
export async function startRedisServer(
  options: { port?: number; appendonly?: boolean; dir?: string } = {},
): Promise<RedisInstance & { handle: ChildHandle; port: number }> {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'pizza-redis-'));
  const pidFile = join(dir, 'redis.pid');
  if (options.dir) await stopOrphan(pidFile);
  const handle = spawnChild('redis-server', [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--pidfile', pidFile,
    '--save', '',
    '--appendonly', options.appendonly ? 'yes' : 'no',
    '--appendfsync', 'everysec',
    '--protected-mode', 'yes',
  ]);
  try {
    await waitForLine(handle, (line) => line.includes('Ready to accept connections'), {
      timeoutMs: 10_000,
      what: 'redis-server (is it installed? apt-get install redis-server)',
    });
  } catch (error) {
    await handle.stop(1_000);
    throw error;
  }
  handle.child.stdout?.resume();
  handle.child.stderr?.resume();
  return {
    url: `redis://127.0.0.1:${port}`,
    kind: 'private',
    port,
    pid: handle.child.pid,
    handle,
    dir: options.dir,
    stop: async () => {
      await handle.stop();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * docs/contract.md: `REDIS_URL` if set; otherwise a private redis-server on a free port. With `dir` its data is
 * kept there (AOF, fsync every second) and found again by the next start.
 */
export async function resolveRedis(options: { log?: (msg: string) => void; dir?: string } = {}): Promise<RedisInstance> {
  const log = options.log ?? (() => undefined);
  const url = process.env.REDIS_URL;
  if (url) {
    log(`redis: using REDIS_URL (${url.replace(/\/\/[^@]*@/, '//***@')})`);
    return { url, kind: 'external', stop: async () => undefined };
  }
  const redis = await startRedisServer(options.dir ? { dir: options.dir, appendonly: true } : {});
  log(`redis: started a private redis-server at ${redis.url}${options.dir ? ` (data in ${options.dir}, append-only file)` : ''}`);
  return redis;
}
