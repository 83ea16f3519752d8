// CPU time and write syscalls of a process, read from /proc (Linux only), so the bench can charge the
// server's own cost to each operation instead of inferring it from client-side latency.
import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux the project runs on

export interface ProcUsage {
  cpuMicros: number;
  writeSyscalls: number;
}

export function readUsage(pid: number): ProcUsage | undefined {
  try {
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15 of the line.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    const writes = Number(/^syscw:\s*(\d+)/m.exec(io)?.[1] ?? NaN);
    return { cpuMicros: (ticks * 1e6) / CLOCK_TICKS_PER_SECOND, writeSyscalls: writes };
  } catch {
    return undefined; // not Linux, or the process is gone
  }
}

export function usageSince(pid: number, before: ProcUsage | undefined): ProcUsage | undefined {
  const after = readUsage(pid);
  if (!before || !after) return undefined;
  return {
    cpuMicros: after.cpuMicros - before.cpuMicros,
    writeSyscalls: after.writeSyscalls - before.writeSyscalls,
  };
}
