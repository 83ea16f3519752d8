import { parseCommandLine, UsageError } from './cli';
import { ConfigError } from './config';
import { createLogger } from './logger';
import { exitOnSignals } from './shutdown';

export interface Running {
  stop(): Promise<void>;
  /** How long `stop()` may take on a signal (SHUTDOWN_TIMEOUT_MS); `runMain`'s default otherwise. */
  shutdownTimeoutMs?: number;
}

/**
 * The body of every entry point's `if (require.main === module)`: start, stop on signals within the
 * deadline, and on a bad environment exit 1 with a message naming the variable. A service is configured by
 * its environment only: any command-line argument is refused (exit 2), so a typo never runs with defaults.
 */
export function runMain(service: string, start: () => Promise<Running>, deadlineMs = 10_000): void {
  try {
    parseCommandLine({ args: process.argv.slice(2), options: {}, strict: true });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(
      `${service}: ${error.message}\nusage: ${service} takes no arguments; it is configured by its environment`,
    );
    process.exit(2);
  }
  const logger = createLogger({ service });
  start().then(
    (running) =>
      exitOnSignals(() => running.stop(), { logger, deadlineMs: running.shutdownTimeoutMs ?? deadlineMs }),
    (error: unknown) => {
      if (error instanceof ConfigError) {
        console.error(`${service}: ${error.message}`);
      } else {
        logger.fatal({ err: error }, 'failed to start');
      }
      process.exit(1);
    },
  );
}
