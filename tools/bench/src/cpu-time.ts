import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { clockTicks, cpuTicks } from './sampler';

/**
 * CPU time (user + system) of another process. `process.cpuUsage` only knows this process, so it is read
 * from `/proc/<pid>/stat` where there is a `/proc` (Linux), else from `ps -o time=` (whole seconds on
 * Linux procps, hundredths on macOS/BSD), else it is unknown and reported as n/a.
 */
export type CpuSource = 'proc' | 'ps' | 'none';

let ticksPerSecond: number | undefined;

/** `[[dd-]hh:]mm:ss[.frac]` as `ps -o time=` prints it, in milliseconds; undefined if it is not that. */
export function parsePsTime(text: string): number | undefined {
  const match = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!match) return undefined;
  const [, days, hours, minutes, seconds] = match;
  const total =
    Number(days ?? 0) * 86_400 + Number(hours ?? 0) * 3_600 + Number(minutes) * 60 + Number(seconds);
  return Math.round(total * 1000);
}

export function cpuSource(): CpuSource {
  if (existsSync('/proc/self/stat')) return 'proc';
  try {
    execFileSync('ps', ['-o', 'time=', '-p', String(process.pid)], { stdio: ['ignore', 'pipe', 'ignore'] });
    return 'ps';
  } catch {
    return 'none';
  }
}

/** Milliseconds of CPU the process has used so far; undefined once it is gone or when nothing can tell. */
export function cpuMsOf(pid: number, source: CpuSource): number | undefined {
  if (source === 'proc') {
    const ticks = cpuTicks(pid);
    ticksPerSecond ??= clockTicks();
    return ticks === undefined ? undefined : (ticks / ticksPerSecond) * 1000;
  }
  if (source === 'ps') {
    try {
      const out = execFileSync('ps', ['-o', 'time=', '-p', String(pid)], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      return parsePsTime(out.toString());
    } catch {
      return undefined;
    }
  }
  return undefined;
}
