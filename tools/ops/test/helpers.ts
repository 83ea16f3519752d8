import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createLogger } from '@pizza/shared';

export const silentLogger = createLogger({ service: 'ops-test', level: 'silent' });

const REPO_ROOT = join(__dirname, '..', '..', '..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs one of the ops entry points as a real process (`node --import tsx tools/ops/src/<script>`), with only
 * the environment given (plus PATH), and a deadline after which it is killed.
 */
export function runCli(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs = 30_000,
) {
  return new Promise<CliResult>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('tools/ops/src', script), ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`${script} ${args.join(' ')} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`),
      );
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface MenuDoc {
  _id: string;
  name: string;
  description: string;
  price: number;
  category: 'pizza' | 'drink';
  stock: number;
  target_stock: number;
}

/** A `menu` document as the order service writes it (price in cents). */
export function menuDoc(id: string, stock: number, targetStock: number): MenuDoc {
  return {
    _id: id,
    name: id,
    description: `the ${id}`,
    price: 1_000,
    category: 'pizza' as const,
    stock,
    target_stock: targetStock,
  };
}
