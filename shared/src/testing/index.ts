/** Test helpers with no infrastructure of their own. */

/** Polls `check` until it returns a truthy value, or fails with `what` after the deadline. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out waiting for ${options.what ?? 'condition'}${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 25));
  }
}

export { commandsDuring, countingClient, dropExternalDbs, uniqueDbName, unrelayedOutbox } from './mongo';
export { TRACKING_SEQUENCE } from './tracking';
export { movesTo, upTo } from './lifecycle';
export { deciderSpec, type Decider } from './decider-spec';
export { metricIn, metricValue } from './metrics';
export { GENEROUS_LIMITS_ENV } from './limits';
export { rawExchange, SLOW_BODY_REQUEST, trickleUntilCutOff } from './raw-http';
