import {
  ConfigError,
  connectRedis,
  errorMessage,
  loadConfig,
  opsEnvironment,
  processOutput,
  runCommand,
  UsageError,
  type Output,
} from '@pizza/shared';
import { parseDlqArgs, USAGE, type DlqCommand } from './dlq/args';
import { runDlq } from './dlq/run';
import { DlqEnv } from './config';

/**
 * `npm run dlq -- <list|show ID|replay ID|replay-all|purge --yes>`: the operator's view of `dead-letters`.
 * Exit codes: 0 done; 1 unknown ID, bad environment or Redis failure; 2 usage error or purge without --yes.
 */
export async function dlqMain(argv: readonly string[], env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  let command: DlqCommand;
  try {
    command = parseDlqArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`dlq: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (command.name === 'help') {
    io.out(USAGE);
    return 0;
  }
  // REDIS_URL if set, else the stack `npm start` runs: say which, on stderr so the output stays clean.
  const found = opsEnvironment(env, ['REDIS_URL']);
  if (!found.ok) {
    io.err(`dlq: ${found.message}`);
    return 1;
  }
  let url: string;
  try {
    url = loadConfig(DlqEnv, found.env).REDIS_URL;
    io.err(`dlq: using ${found.source}`);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(`dlq: ${error.message}`);
    return 1;
  }
  const redis = connectRedis(url, 'dlq-cli');
  try {
    return await runDlq(command, redis, io);
  } catch (error) {
    io.err(`dlq: ${errorMessage(error)}`);
    return 1;
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}

if (require.main === module) runCommand(() => dlqMain(process.argv.slice(2), process.env, processOutput));
