import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { startRedisServer } from './redis';

describe('a private Redis with its data in a folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'redis-kept-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds its data again, and stops a server an earlier launcher left running on the same folder first', async () => {
    const orphan = await startRedisServer({ dir, appendonly: true });
    const client = new Redis(orphan.url);
    await client.xadd('orders-stream', '*', 'n', '1');
    client.disconnect();

    const next = await startRedisServer({ dir, appendonly: true });
    try {
      expect(await orphan.handle.exited).toBe(0); // stopped cleanly, its AOF flushed
      const again = new Redis(next.url);
      try {
        expect(await again.xlen('orders-stream')).toBe(1);
      } finally {
        again.disconnect();
      }
    } finally {
      await next.stop();
      await orphan.stop();
    }
  });
});
