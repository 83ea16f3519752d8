import { execFileSync } from 'node:child_process';
import { spawnChild, waitForLine, type ChildHandle, type ServiceName } from '@pizza/stack';
import { dropExternalDbs, GENEROUS_LIMITS_ENV, uniqueDbName } from '@pizza/shared/testing';
import { resolve } from 'node:path';

/** `npm start` as a user runs it (the same CLI), on a free port, with fast simulator delays. */
export interface LaunchedStack {
  url: string;
  /** Its own database (MONGO_DB), so stacks sharing an external MongoDB never share data. */
  mongoDb: string;
  pids: number[];
  handle: ChildHandle;
  /** Everything the stack printed so far, stdout and stderr: every service's log and the gateway's. */
  lines: string[];
}

const ROOT = resolve(__dirname, '../..');

function stackMessage(line: string): string | undefined {
  try {
    const entry = JSON.parse(line) as { process?: string; msg?: string };
    return entry.process === 'stack' ? entry.msg : undefined;
  } catch {
    return undefined;
  }
}

/** Every database a launch used, dropped by `dropLaunchedDbs` (only an external MONGO_URL keeps them). */
const launchedDbs = new Set<string>();

export async function dropLaunchedDbs(): Promise<void> {
  await dropExternalDbs(...launchedDbs);
  launchedDbs.clear();
}

export async function launchStack(env: Record<string, string> = {}): Promise<LaunchedStack> {
  const mongoDb = env.MONGO_DB ?? uniqueDbName('e2e');
  launchedDbs.add(mongoDb);
  const handle = spawnChild(process.execPath, ['--import', 'tsx', 'tools/stack/src/cli.ts'], {
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
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean));
  handle.child.stdout?.on('data', keep);
  handle.child.stderr?.on('data', keep);
  try {
    const pidsLine = waitForLine(handle, (l) => stackMessage(l)?.startsWith('processes:') === true, { timeoutMs: 180_000, what: 'npm start' });
    pidsLine.catch(() => undefined); // the ready line's failure below is the one reported
    const ready = await waitForLine(handle, (l) => stackMessage(l)?.startsWith('ready:') === true, { timeoutMs: 180_000, what: 'npm start' });
    const pids = stackMessage(await pidsLine)!.replace('processes:', '').trim().split(/\s+/).map(Number);
    const url = stackMessage(ready)!.replace('ready: open', '').trim();
    return { url, mongoDb, pids: [...pids, handle.child.pid!], handle, lines };
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
  const entry = `services/${service}/src/main.ts`;
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
