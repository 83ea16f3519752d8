import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';
import { spawnChild, waitForLine } from './process';

export interface RedisInstance {
  url: string;
  kind: 'external' | 'private';
  port?: number;
  /** The private server's process id, when we started one. */
  pid?: number;
  stop(): Promise<void>;
}

/**
 * A private `redis-server` on a free loopback port, with its data in a temporary folder that `stop()`
 * removes. AOF can be turned on for tests that restart Redis.
 */
export async function startRedisServer(options: { port?: number; appendonly?: boolean; dir?: string } = {}): Promise<RedisInstance> {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'pizza-redis-'));
  const handle = spawnChild('redis-server', [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
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
    stop: async () => {
      await handle.stop();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** docs/contract.md: `REDIS_URL` if set; otherwise a private redis-server on a free port. */
export async function resolveRedis(options: { log?: (msg: string) => void } = {}): Promise<RedisInstance> {
  const log = options.log ?? (() => undefined);
  const url = process.env.REDIS_URL;
  if (url) {
    log(`redis: using REDIS_URL (${url.replace(/\/\/[^@]*@/, '//***@')})`);
    return { url, kind: 'external', stop: async () => undefined };
  }
  const redis = await startRedisServer();
  log(`redis: started a private redis-server at ${redis.url}`);
  return redis;
}
