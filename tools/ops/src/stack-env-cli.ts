import { opsEnvironment, parseCommandLine, processOutput, runCommand, type Output } from '@pizza/shared';

export const USAGE = 'usage: eval "$(npm run -s stack:env)" (no arguments)';

/** POSIX single quotes: the value is taken literally by the shell. */
function quoted(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * `eval "$(npm run -s stack:env)"`: exports REDIS_URL, MONGO_URL and MONGO_DB for redis-cli, mongosh and
 * the ops commands, from what is set or else from the stack `npm start` runs. Says which on stderr.
 */
export function stackEnvMain(argv: string[], env: NodeJS.ProcessEnv, io: Output): number {
  parseCommandLine({ args: argv, options: {} });
  const found = opsEnvironment(env, ['REDIS_URL', 'MONGO_URL']);
  if (!found.ok) {
    io.err(`stack:env: ${found.message}`);
    return 1;
  }
  io.err(`stack:env: ${found.source}`);
  for (const name of ['REDIS_URL', 'MONGO_URL', 'MONGO_DB'] as const) {
    const value = found.env[name];
    if (value) io.out(`export ${name}=${quoted(value)}`);
  }
  return 0;
}

if (require.main === module)
  runCommand(async () => stackEnvMain(process.argv.slice(2), process.env, processOutput), {
    name: 'stack:env',
    usage: USAGE,
  });
