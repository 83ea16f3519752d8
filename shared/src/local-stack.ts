import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { loadConfig } from './config';

/**
 * The stack `npm start` runs on this machine, as ops commands find it: the launcher writes the URLs it
 * uses into its data folder (owner-only), and a command run without REDIS_URL/MONGO_URL reads them there.
 */

/** `.data/` at the repository root. */
export const DEFAULT_STACK_DATA_DIR = resolve(__dirname, '../../.data');
const STACK_FILE = 'stack.json';

export const LocalStackEnv = z.object({ STACK_DATA_DIR: z.string().min(1).default(DEFAULT_STACK_DATA_DIR) });

export const LocalStackInfo = z.object({
  launcher_pid: z.number().int().positive(),
  started_at: z.string(),
  data_dir: z.string(),
  gateway_url: z.string(),
  redis_url: z.string(),
  mongo_url: z.string(),
  mongo_db: z.string(),
  admin_token: z.string(),
});
export type LocalStackInfo = z.infer<typeof LocalStackInfo>;

export function stackFilePath(dataDir: string): string {
  return join(dataDir, STACK_FILE);
}

/** Written whole (temporary file, then rename) and readable by its owner only: it holds the admin token. */
export function writeLocalStack(dataDir: string, info: LocalStackInfo): void {
  const path = stackFilePath(dataDir);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600); // `mode` does not apply to a file that already existed
  renameSync(temporary, path);
}

/** Removes the file if this launcher wrote it, so a stopped stack is not found. */
export function removeLocalStack(dataDir: string, launcherPid = process.pid): void {
  if (readLocalStack(dataDir)?.launcher_pid === launcherPid) rmSync(stackFilePath(dataDir), { force: true });
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The stack whose launcher still runs, or undefined (no file, unreadable, or left by a launcher that died). */
export function readLocalStack(dataDir: string): LocalStackInfo | undefined {
  let raw: string;
  try {
    raw = readFileSync(stackFilePath(dataDir), 'utf8');
  } catch {
    return undefined;
  }
  let parsed;
  try {
    parsed = LocalStackInfo.safeParse(JSON.parse(raw));
  } catch {
    return undefined;
  }
  return parsed.success && running(parsed.data.launcher_pid) ? parsed.data : undefined;
}

type Setting = 'REDIS_URL' | 'MONGO_URL';

export type OpsEnvironment =
  | { ok: true; env: NodeJS.ProcessEnv; source: string }
  | { ok: false; message: string };

function shortPath(path: string): string {
  const fromHere = relative(process.cwd(), path);
  return fromHere !== '' && !fromHere.startsWith('..') ? fromHere : path;
}

/**
 * The environment an ops command runs with: what is set wins; whatever of `needs` is missing comes from
 * the running `npm start` stack. Says which stack that is, or, with neither, what to do, in one line.
 */
export function opsEnvironment(env: NodeJS.ProcessEnv, needs: readonly Setting[]): OpsEnvironment {
  const missing = needs.filter((name) => !env[name]);
  if (missing.length === 0) return { ok: true, env, source: `${needs.join(' and ')} from the environment` };
  const dataDir = loadConfig(LocalStackEnv, env).STACK_DATA_DIR;
  const stack = readLocalStack(dataDir);
  if (!stack) {
    return {
      ok: false,
      message: `${missing.join(' and ')} not set and no running stack found in ${shortPath(dataDir)}: start one with \`npm start\` (or set ${missing.join(' and ')})`,
    };
  }
  const fromStack: Record<Setting | 'MONGO_DB', string> = {
    REDIS_URL: stack.redis_url,
    MONGO_URL: stack.mongo_url,
    MONGO_DB: stack.mongo_db,
  };
  const filled: NodeJS.ProcessEnv = { ...env };
  for (const name of missing) filled[name] = fromStack[name];
  if (missing.includes('MONGO_URL') && !env.MONGO_DB) filled.MONGO_DB = fromStack.MONGO_DB;
  return {
    ok: true,
    env: filled,
    source: `the stack of npm start at ${stack.gateway_url} (pid ${stack.launcher_pid}; ${shortPath(stackFilePath(dataDir))})`,
  };
}
