/** External command-line tools some deployment checks use when they are installed (promtool, helm). */
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from './catalogue';

export function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
}

export interface ToolResult {
  status: number | null;
  /** stdout and stderr, for failure messages */
  output: string;
  stdout: string;
}

/** Runs a tool from the repository root to completion. */
export function runTool(command: string, args: readonly string[], timeoutMs = 60_000): ToolResult {
  const result = spawnSync(command, args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: timeoutMs });
  const stdout = result.stdout ?? '';
  const output = `${stdout}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
  return { status: result.status, output, stdout };
}

/**
 * `describe` for checks that need a tool: they run where it is on PATH, and skip with a message naming the tool
 * and how to install it elsewhere, unless `requiredInCi` and CI=true, where a missing tool fails them.
 */
export function describeWithTool(
  command: string,
  install: string,
  options: { requiredInCi: boolean },
): jest.Describe {
  if (onPath(command)) return describe;
  if (options.requiredInCi && process.env.CI === 'true') return describe;
  console.warn(`${command} is not on PATH: skipping the checks that need it (${install})`);
  return describe.skip;
}
