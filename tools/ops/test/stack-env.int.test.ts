import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeLocalStack, type LocalStackInfo } from '@pizza/shared';
import { runCli } from './helpers';

/** `npm run -s stack:env`, as the README's redis-cli recipes use it. */
describe('npm run stack:env', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'stack-env-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const stack = (pid: number): LocalStackInfo => ({
    launcher_pid: pid,
    started_at: new Date().toISOString(),
    data_dir: dataDir,
    gateway_url: 'http://localhost:8080',
    redis_url: 'redis://127.0.0.1:6390',
    mongo_url: "mongodb://127.0.0.1:27018/?replicaSet=rs0&appName=it's",
    mongo_db: 'pizza',
    admin_token: 'secret',
  });

  test('prints exports a shell takes back literally, from the running stack, and says which stack', async () => {
    writeLocalStack(dataDir, stack(process.pid));
    const result = await runCli('stack-env-cli.ts', [], { STACK_DATA_DIR: dataDir });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('stack:env: the stack of npm start at http://localhost:8080');
    const echoed = execFileSync('sh', ['-c', `${result.stdout}\nprintf '%s|%s|%s' "$REDIS_URL" "$MONGO_URL" "$MONGO_DB"`], {
      encoding: 'utf8',
    });
    expect(echoed).toBe("redis://127.0.0.1:6390|mongodb://127.0.0.1:27018/?replicaSet=rs0&appName=it's|pizza");
  });

  test('a file left by a launcher that is gone is no running stack: one line says what to do', async () => {
    writeLocalStack(dataDir, stack(2 ** 22 + 1)); // above the largest pid Linux allows: no such process
    const result = await runCli('stack-env-cli.ts', [], { STACK_DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([
      `stack:env: REDIS_URL and MONGO_URL not set and no running stack found in ${dataDir}: start one with \`npm start\` (or set REDIS_URL and MONGO_URL)`,
    ]);
  });

  test('what is set wins over the stack file', async () => {
    writeLocalStack(dataDir, stack(process.pid));
    const result = await runCli('stack-env-cli.ts', [], {
      STACK_DATA_DIR: dataDir,
      REDIS_URL: 'redis://elsewhere:6379',
      MONGO_URL: 'mongodb://elsewhere:27017',
    });
    expect(result.stdout).toContain("export REDIS_URL='redis://elsewhere:6379'");
    expect(result.stderr).toContain('from the environment');
  });
});
