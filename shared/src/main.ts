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
 * deadline, and on a bad environment exit 1 with a message naming the variable.
 */
export function runMain(service: string, start: () => Promise<Running>, deadlineMs = 10_000): void {
  const logger = createLogger({ service });
  start().then(
    (running) => exitOnSignals(() => running.stop(), { logger, deadlineMs: running.shutdownTimeoutMs ?? deadlineMs }),
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
