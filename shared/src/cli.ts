import { parseArgs, type ParseArgsConfig } from 'node:util';

/** What command-line tools share: strict argument parsing and a plain-text table. */

/** A command line that cannot be run: the message says what is wrong; the tool prints it with its usage. */
export class UsageError extends Error {
  readonly code = 'usage';
}

/**
 * `node:util` parseArgs, strict: an unknown option, a missing value or an unexpected positional argument is
 * a UsageError naming it, so a typo never runs with defaults.
 */
export function parseCommandLine<T extends ParseArgsConfig & { strict?: true }>(
  config: T,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export interface TableStyle {
  /** Right-align every column after the first (a label column, then figures). Default: all left-aligned. */
  figures?: boolean;
  /** A rule of `─` under the header. */
  rule?: boolean;
}

/** Columns two spaces apart, a header line, then the rows; no trailing spaces. */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  style: TableStyle = {},
): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (style.figures && i > 0 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = style.rule ? [widths.map((w) => '─'.repeat(w)).join('  ')] : [];
  return [line(headers), ...rule, ...rows.map(line)].join('\n');
}

/** Where a command writes: results to `out`, problems to `err` (tests pass their own). */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** How a command names itself in its messages, and the usage it prints after a UsageError. */
export interface CommandUsage {
  name: string;
  usage: string;
}

/**
 * Runs a command as the process: what `main` resolves to is the exit code. A UsageError (from
 * `parseCommandLine`) is printed as `name: message` and the usage, and exits 2; any other failure is printed
 * and exits 1. Resolves once the exit code is set (for a command that must then end the process itself).
 */
export function runCommand(main: () => Promise<number>, usage?: CommandUsage): Promise<void> {
  return main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        console.error(usage ? `${usage.name}: ${error.message}\n${usage.usage}` : error.message);
        process.exitCode = 2;
        return;
      }
      console.error(error);
      process.exitCode = 1;
    },
  );
}
