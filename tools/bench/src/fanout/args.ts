import { parseCommandLine, UsageError } from '@pizza/shared';

export const WS_USAGE = 'usage: npm run bench:ws -- [--connections N] [--rate R] [--out DIR]';

/** argv after the script name → the options, or a UsageError (an unknown flag, a bad number). */
export function parseFanoutArgs(argv: readonly string[]) {
  const { values } = parseCommandLine({
    args: [...argv],
    options: {
      connections: { type: 'string', default: '10000' },
      rate: { type: 'string', default: '2000' },
      out: { type: 'string', default: 'bench-results' },
    },
  });
  const goal = Number(values.connections);
  const rate = Number(values.rate);
  if (!Number.isInteger(goal) || goal < 1) throw new UsageError('--connections needs a positive integer');
  if (!(rate > 0) || !Number.isFinite(rate)) throw new UsageError('--rate needs a positive number');
  return { goal, rate, outDir: values.out };
}
