import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeLocalStack } from '@pizza/shared';
import { demoLoadAdminToken } from '../src/demo-load';

/** The demo load's orders carry the admin token, so that the per-client order limit does not refuse them. */
describe('the admin token of npm run demo:load', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'demo-load-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const stackWithToken = (token: string) =>
    writeLocalStack(dataDir, {
      launcher_pid: process.pid,
      started_at: new Date().toISOString(),
      data_dir: dataDir,
      gateway_url: 'http://127.0.0.1:8080',
      redis_url: 'redis://127.0.0.1:6379',
      mongo_url: 'mongodb://127.0.0.1:27017',
      mongo_db: 'pizza',
      admin_token: token,
    });

  test('is ADMIN_TOKEN when set, even with a running stack', () => {
    stackWithToken('the-stack-admin-token');
    expect(demoLoadAdminToken({ ADMIN_TOKEN: 'the-env-admin-token', STACK_DATA_DIR: dataDir })).toBe(
      'the-env-admin-token',
    );
  });

  test("is the running npm start's token otherwise, and none without either", () => {
    expect(demoLoadAdminToken({ STACK_DATA_DIR: dataDir })).toBeUndefined();
    stackWithToken('the-stack-admin-token');
    expect(demoLoadAdminToken({ STACK_DATA_DIR: dataDir })).toBe('the-stack-admin-token');
  });
});
