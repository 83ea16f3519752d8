import { z } from 'zod';
import type { Logger } from './logger';

/** Fault injection for the crash-recovery tests; the schema a service extends to accept it. */
export const FaultEnv = z.object({
  /** `1`: SIGKILL the process right after its first commit, before the outbox relay is woken. */
  FAULT_CRASH_AFTER_COMMIT: z.enum(['0', '1']).default('0'),
});

/**
 * The after-commit hook FAULT_CRASH_AFTER_COMMIT asks for, or undefined. It proves that an event committed
 * to the outbox survives the process dying before publishing it. Never armed when NODE_ENV=production,
 * whatever the deployment's environment says.
 */
export function crashAfterCommitHook(
  config: z.infer<typeof FaultEnv>,
  env: NodeJS.ProcessEnv,
  logger: Logger,
  what: string,
): (() => void) | undefined {
  if (config.FAULT_CRASH_AFTER_COMMIT !== '1' || env.NODE_ENV === 'production') return undefined;
  logger.warn(`FAULT_CRASH_AFTER_COMMIT=1: the process will kill itself after the first ${what} commits`);
  return () => process.kill(process.pid, 'SIGKILL');
}
