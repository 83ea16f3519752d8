import { join } from 'node:path';
import { createLogger } from '@pizza/shared';
import { runScript } from '@pizza/stack';

export const silentLogger = createLogger({ service: 'ops-test', level: 'silent' });

const REPO_ROOT = join(__dirname, '..', '..', '..');

/** Runs one of the ops entry points (`tools/ops/src/<script>`) as a real process, with only the environment given. */
export function runCli(script: string, args: readonly string[], env: Record<string, string>) {
  return runScript(join('tools/ops/src', script), args, {
    cwd: REPO_ROOT,
    env: { LOG_LEVEL: 'warn', ...env },
  });
}
