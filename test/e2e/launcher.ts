import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  ENTRY_POINTS,
  pidsOfProcessesLine,
  spawnChild,
  waitForLine,
  type ChildHandle,
  type ServiceName,
} from '@pizza/stack';
import { dropExternalDbs, GENEROUS_LIMITS_ENV, uniqueDbName } from '@pizza/shared/testing';

/** `npm start` as a user runs it (the same CLI), on a free port, with fast simulator delays. */
export interface LaunchedStack {
  url: string;
  /** Its own database (MONGO_DB), so stacks sharing an external MongoDB never share data. */
  mongoDb: string;
  /** Its own data folder (`--data-dir`): launches never share one unless asked to. */
  dataDir: string;
  /** Every process the launcher named, the launcher last. */
  pids: number[];
  handle: ChildHandle;
  /** Everything the stack printed so far, stdout and stderr: every service's log and the gateway's. */
  lines: string[];
}

const ROOT = resolve(__dirname, '../..');

export function stackMessage(line: string): string | undefined {
  try {
    const entry = JSON.parse(line) as { process?: string; msg?: string };
    return entry.process === 'stack' ? entry.msg : undefined;
  } catch {
    return undefined;
  }
}

/** Every database and data folder a launch used, removed by `cleanUpLaunches` (only an external MONGO_URL keeps databases). */
const launchedDbs = new Set<string>();
const launchedDirs = new Set<string>();

export async function cleanUpLaunches(): Promise<void> {
  await dropExternalDbs(...launchedDbs);
  launchedDbs.clear();
  for (const dir of launchedDirs) rmSync(dir, { recursive: true, force: true });
  launchedDirs.clear();
}

export interface LaunchOptions {
  env?: Record<string, string>;
  /** Start on this data folder (a restart); default: a new temporary one. */
  dataDir?: string;
  args?: string[];
}

export async function launchStack(options: LaunchOptions = {}): Promise<LaunchedStack> {
  const env = options.env ?? {};
  const mongoDb = env.MONGO_DB ?? uniqueDbName('e2e');
  launchedDbs.add(mongoDb);
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'pizza-e2e-data-'));
  launchedDirs.add(dataDir);
  const handle = spawnChild(
    process.execPath,
    ['--import', 'tsx', 'tools/stack/src/cli.ts', '--data-dir', dataDir, ...(options.args ?? [])],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        ...GENEROUS_LIMITS_ENV,
        PORT: '0',
        LOG_LEVEL: 'warn',
        SIMULATOR_MIN_DELAY_MS: '0',
        SIMULATOR_MAX_DELAY_MS: '20',
        STREAM_CLAIM_IDLE_MS: '500',
        ...env,
        MONGO_DB: mongoDb,
      },
    },
  );
  const lines: string[] = [];
  const keep = (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean));
  handle.child.stdout?.on('data', keep);
  handle.child.stderr?.on('data', keep);
  try {
    const isProcesses = (l: string) => stackMessage(l)?.startsWith('processes:') === true;
    const pidsLine = waitForLine(handle, isProcesses, { timeoutMs: 180_000, what: 'npm start' });
    pidsLine.catch(() => undefined); // the ready line's failure below is the one reported
    const ready = await waitForLine(handle, (l) => stackMessage(l)?.startsWith('ready:') === true, {
      timeoutMs: 180_000,
      what: 'npm start',
    });
    const pids = pidsOfProcessesLine(stackMessage(await pidsLine)!);
    const url = stackMessage(ready)!.replace('ready: open', '').trim();
    return { url, mongoDb, dataDir, pids: [...pids, handle.child.pid!], handle, lines };
  } catch (error) {
    await handle.stop();
    throw error;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid of one service of a launched stack, found by the entry point its process runs. */
export function servicePid(stack: LaunchedStack, service: ServiceName): number {
  const entry = ENTRY_POINTS[service];
  const pid = stack.pids.find((p) => {
    try {
      return execFileSync('ps', ['-o', 'args=', '-p', String(p)], { encoding: 'utf8' }).includes(entry);
    } catch {
      return false;
    }
  });
  if (pid === undefined) throw new Error(`no ${service} process among ${stack.pids.join(' ')}`);
  return pid;
}
