import { parseCommandLine, UsageError } from '@pizza/shared';

export type DlqCommand =
  | { name: 'list'; limit: number }
  | { name: 'show' | 'replay'; id: string }
  | { name: 'replay-all' }
  | { name: 'purge'; yes: boolean }
  | { name: 'help' };

export const USAGE = `usage: npm run dlq -- <command>

  list [--limit N]   the newest dead letters (default 100): id, stream, group, event type, attempts, last error, age
  show ID            one dead letter in full, payload as JSON
  replay ID          put it back on its original stream for the group that failed it only (replay_count
                     raised; the other groups skip it), then delete it
  replay-all         replay every dead letter there is now, oldest first
  purge --yes        delete every dead letter

environment: REDIS_URL; when unset, the Redis of the stack \`npm start\` runs (found in STACK_DATA_DIR, default .data/)`;

/** argv after the script name → a command, or a UsageError saying what is wrong. */
export function parseDlqArgs(argv: readonly string[]): DlqCommand {
  const { values, positionals } = parseCommandLine({
    args: [...argv],
    allowPositionals: true,
    options: {
      yes: { type: 'boolean', default: false },
      limit: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [name, ...rest] = positionals;
  if (values.help || name === 'help') return { name: 'help' };
  const noMore = (expected: number) => {
    if (rest.length > expected) throw new UsageError(`unexpected argument: ${rest[expected]}`);
  };
  switch (name) {
    case 'list': {
      noMore(0);
      const limit = Number(values.limit ?? 100);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive integer');
      return { name, limit };
    }
    case 'show':
    case 'replay':
      if (!rest[0]) throw new UsageError(`${name} needs a dead letter ID`);
      noMore(1);
      return { name, id: rest[0] };
    case 'replay-all':
      noMore(0);
      return { name };
    case 'purge':
      noMore(0);
      return { name, yes: values.yes };
    case undefined:
      throw new UsageError('missing command');
    default:
      throw new UsageError(`unknown command: ${name}`);
  }
}
