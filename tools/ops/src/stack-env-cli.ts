import { opsEnvironment, processOutput, type Output } from '@pizza/shared';

/** POSIX single quotes: the value is taken literally by the shell. */
function quoted(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * `eval "$(npm run -s stack:env)"`: exports REDIS_URL, MONGO_URL and MONGO_DB for redis-cli, mongosh and
 * the ops commands, from what is set or else from the stack `npm start` runs. Says which on stderr.
 */
export function stackEnvMain(env: NodeJS.ProcessEnv, io: Output): number {
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

if (require.main === module) process.exitCode = stackEnvMain(process.env, processOutput);
