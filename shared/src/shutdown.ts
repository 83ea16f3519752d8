import type { Logger } from './logger';

/**
 * On SIGTERM or SIGINT, runs `stop` once and exits 0 when it is done, or 1 when it has not finished
 * within the deadline. A second signal exits at once.
 */
export function exitOnSignals(stop: () => Promise<void>, options: { logger: Logger; deadlineMs: number }): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    options.logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      options.logger.error({ deadline_ms: options.deadlineMs }, 'shutdown deadline passed; exiting');
      process.exit(1);
    }, options.deadlineMs);
    deadline.unref();
    stop().then(
      () => {
        options.logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        options.logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
