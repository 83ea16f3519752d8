import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * File descriptors: every WebSocket is one in this process and one in the gateway. Node raises its own soft
 * open-files limit to the hard limit at start-up (children inherit it), so what this process reads in
 * /proc/self/limits is what it can use; raising the hard limit needs root (`ulimit -Hn`, limits.conf). When
 * it is too low the bench holds as many connections as fit and says so.
 */
export interface FdLimits {
  soft: number;
  hard: number;
}

const num = (v: string | undefined) => (v === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(v) || 1024);

/** /proc/self/limits where there is one (Linux); else the shell's `ulimit` (macOS, BSD); else 1024. */
export function fdLimits(): FdLimits {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const [soft, hard] = (line ?? '').replace('Max open files', '').trim().split(/\s+/);
    return { soft: num(soft), hard: num(hard) };
  } catch {
    return fdLimitsFromShell();
  }
}

/** The limits a child shell inherits from this process, as `ulimit` reports them. */
export function fdLimitsFromShell(): FdLimits {
  try {
    const [soft, hard] = execFileSync('sh', ['-c', 'ulimit -Sn; ulimit -Hn'], { encoding: 'utf8' }).trim().split(/\s+/);
    return { soft: num(soft), hard: num(hard) };
  } catch {
    return { soft: 1024, hard: 1024 };
  }
}

/** Descriptors kept free for Redis, HTTP, files and the runtime. */
export const FD_RESERVE = 256;

/** How many connections this process can hold with the limit it has. */
export function connectionsAllowed(wanted: number): number {
  return Math.max(0, Math.min(wanted, fdLimits().soft - FD_RESERVE));
}
