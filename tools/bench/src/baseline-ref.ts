import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A checkout of another commit to measure "before" against: a detached `git worktree` in the temp folder,
 * keyed by commit so that a later run reuses it (and its node_modules) instead of installing again.
 */
export interface BaselineCheckout {
  ref: string;
  commit: string;
  root: string;
}

const git = (args: string[], cwd: string) =>
  execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    .toString()
    .trim();

export function commitOf(ref: string, repo: string): string {
  try {
    return git(['rev-parse', '--verify', `${ref}^{commit}`], repo);
  } catch {
    throw new Error(`--baseline-ref ${ref}: not a commit in this repository`);
  }
}

function install(root: string, log: (msg: string) => void): Promise<void> {
  log(`baseline: npm ci --prefer-offline in ${root} (once per commit)`);
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const errors: string[] = [];
    child.stderr.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`npm ci in ${root} failed (exit ${code}):\n${errors.join('').slice(-2000)}`)),
    );
  });
}

export async function baselineCheckout(
  ref: string,
  repo: string,
  log: (msg: string) => void,
): Promise<BaselineCheckout> {
  const commit = commitOf(ref, repo);
  const root = join(tmpdir(), `pizza-bench-baseline-${commit.slice(0, 12)}`);
  if (!existsSync(join(root, '.git'))) {
    // A worktree folder removed by hand (e.g. a cleaned temp folder) is still registered until pruned.
    git(['worktree', 'prune'], repo);
    log(`baseline: git worktree add --detach ${root} ${commit.slice(0, 12)} (${ref})`);
    git(['worktree', 'add', '--detach', root, commit], repo);
  } else log(`baseline: reusing ${root}`);
  if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) await install(root, log);
  return { ref, commit, root };
}
