import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/**
 * Samples CPU time and resident memory of a set of processes from /proc while a run goes on (from `ps`
 * where there is no /proc, e.g. macOS). CPU % is of one core, averaged between the first and the last
 * sample of each process.
 */
export interface ProcessTarget {
  pid: number;
  label: string;
}

export interface ProcessUsage extends ProcessTarget {
  cpuSeconds: number;
  cpuPercent: number;
  /** Highest VmRSS seen in a sample. */
  peakRssBytes: number;
  /** VmHWM at the last sample: the kernel's own peak, over the process's whole life. */
  hwmBytes: number;
  samples: number;
}

interface Track extends ProcessTarget {
  firstTicks: number;
  firstAt: number;
  lastTicks: number;
  lastAt: number;
  peakRss: number;
  hwm: number;
  samples: number;
}

export function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
}
const TICKS_PER_SECOND = clockTicks();

const hasProc = existsSync('/proc/self/stat');

/** `[[dd-]hh:]mm:ss[.cc]`, as `ps -o time=` prints CPU time, in seconds. */
export function psSeconds(text: string): number {
  const [days, clock] = text.includes('-') ? text.split('-') : ['0', text];
  const parts = (clock ?? '').split(':').map(Number);
  return Number(days) * 86_400 + parts.reduce((total, part) => total * 60 + part, 0);
}

/** CPU seconds and resident kB from `ps`, for systems without /proc; undefined once the process is gone. */
export function psUsage(pid: number): { cpuSeconds: number; rssBytes: number } | undefined {
  try {
    const [rss, time] = execFileSync('ps', ['-o', 'rss=,time=', '-p', String(pid)], { encoding: 'utf8' }).trim().split(/\s+/);
    return { cpuSeconds: psSeconds(time ?? '0'), rssBytes: Number(rss) * 1024 };
  } catch {
    return undefined;
  }
}

/** utime + stime in clock ticks; undefined once the process is gone. */
export function cpuTicks(pid: number): number | undefined {
  if (!hasProc) {
    const usage = psUsage(pid);
    return usage && usage.cpuSeconds * TICKS_PER_SECOND;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields are counted after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/** VmRSS and VmHWM in bytes (without /proc: the RSS from `ps` for both, as there is no kernel peak to read). */
export function memory(pid: number): { rss: number; hwm: number } | undefined {
  if (!hasProc) {
    const usage = psUsage(pid);
    return usage && { rss: usage.rssBytes, hwm: usage.rssBytes };
  }
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

export class ProcessSampler {
  private readonly tracks = new Map<number, Track>();
  private timer: NodeJS.Timeout | undefined;
  private readonly ticksPerSecond = TICKS_PER_SECOND;

  constructor(
    private readonly targets: () => ProcessTarget[],
    private readonly intervalMs = 500,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): ProcessUsage[] {
    clearInterval(this.timer);
    this.sample();
    return [...this.tracks.values()].map((t) => {
      const cpuSeconds = (t.lastTicks - t.firstTicks) / this.ticksPerSecond;
      const wall = (t.lastAt - t.firstAt) / 1000;
      return {
        pid: t.pid,
        label: t.label,
        cpuSeconds,
        cpuPercent: wall > 0 ? (cpuSeconds / wall) * 100 : 0,
        peakRssBytes: t.peakRss,
        hwmBytes: t.hwm,
        samples: t.samples,
      };
    });
  }

  private sample(): void {
    const now = performance.now();
    for (const target of this.targets()) {
      const ticks = cpuTicks(target.pid);
      const mem = memory(target.pid);
      if (ticks === undefined || !mem) continue;
      const track = this.tracks.get(target.pid);
      if (!track) {
        this.tracks.set(target.pid, {
          ...target,
          firstTicks: ticks,
          firstAt: now,
          lastTicks: ticks,
          lastAt: now,
          peakRss: mem.rss,
          hwm: mem.hwm,
          samples: 1,
        });
        continue;
      }
      track.lastTicks = ticks;
      track.lastAt = now;
      track.peakRss = Math.max(track.peakRss, mem.rss);
      track.hwm = mem.hwm;
      track.samples++;
    }
  }
}
