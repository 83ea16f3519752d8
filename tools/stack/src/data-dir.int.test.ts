import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeLocalStack } from '@pizza/shared';
import { spawnChild } from './infra/process';
import { prepareDataDir } from './data-dir';

describe('the data folder', () => {
  let parent: string;
  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'data-dir-'));
  });
  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  it('is created readable by its owner only', () => {
    const data = prepareDataDir(join(parent, 'data'));
    for (const dir of [data.root, data.redis, data.mongo]) expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('in use by another running npm start is refused, naming it, and left as it was', async () => {
    const other = spawnChild('sleep', ['30']);
    try {
      const root = join(parent, 'data');
      prepareDataDir(root);
      writeLocalStack(root, {
        launcher_pid: other.child.pid!,
        started_at: new Date().toISOString(),
        data_dir: root,
        gateway_url: 'http://localhost:8080',
        redis_url: 'redis://127.0.0.1:1',
        mongo_url: 'mongodb://127.0.0.1:1',
        mongo_db: 'pizza',
        admin_token: 't',
      });
      expect(() => prepareDataDir(root, { fresh: true })).toThrow(
        `another npm start (pid ${other.child.pid}, http://localhost:8080) uses ${root}: stop it, or give this one its own --data-dir`,
      );
      expect(statSync(join(root, 'stack.json')).isFile()).toBe(true);
    } finally {
      await other.stop(1_000);
    }
  });
});
