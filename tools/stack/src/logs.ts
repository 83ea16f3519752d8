import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';

/**
 * Child process output, one line at a time, tagged with the process it came from: pretty and coloured on
 * a terminal, JSON lines (with a `process` field) when piped, so tools can still parse them.
 */
const COLOURS = [36, 35, 33, 32, 34, 91, 96, 95];
const LEVEL_COLOURS: Record<string, number> = { error: 31, fatal: 31, warn: 33, info: 32, debug: 90, trace: 90 };

export type LineSink = (processName: string, line: string) => void;

export function terminalSink(pretty: boolean, write: (s: string) => void = (s) => process.stdout.write(s)): LineSink {
  const colourOf = new Map<string, number>();
  const nameWidth = 16;
  return (name, line) => {
    let parsed: Record<string, unknown> | undefined;
    try {
      const value: unknown = JSON.parse(line);
      if (value && typeof value === 'object' && !Array.isArray(value)) parsed = value as Record<string, unknown>;
    } catch {
      parsed = undefined;
    }
    if (!pretty) {
      write(`${JSON.stringify(parsed ? { process: name, ...parsed } : { process: name, msg: line })}\n`);
      return;
    }
    if (!colourOf.has(name)) colourOf.set(name, COLOURS[colourOf.size % COLOURS.length]!);
    const tag = `\x1b[${colourOf.get(name)}m${name.padEnd(nameWidth)}\x1b[0m|`;
    if (!parsed) {
      write(`${tag} ${line}\n`);
      return;
    }
    const { level, time, msg, service: _service, pid: _pid, hostname: _host, ...rest } = parsed;
    const levelText = String(level ?? 'info');
    const clock = typeof time === 'string' ? time.slice(11, 19) : '';
    const extras = Object.entries(rest)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    write(`${tag} ${clock} \x1b[${LEVEL_COLOURS[levelText] ?? 0}m${levelText.padEnd(5)}\x1b[0m ${String(msg ?? '')} ${extras}\n`);
  };
}

export function pipeLines(stream: Readable | null | undefined, name: string, sink: LineSink): void {
  if (!stream) return;
  createInterface({ input: stream }).on('line', (line) => sink(name, line));
}
