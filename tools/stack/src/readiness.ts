import { exitText } from './supervisor';
import { isReady, type ServiceProcess } from './services';

/**
 * Polls every service's readiness until all answer 200. Fails at once, naming the service, if one of
 * them exits meanwhile (instead of waiting out the deadline), and when `signal` aborts.
 */
export async function waitUntilReady(
  services: readonly ServiceProcess[],
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<void> {
  const done = new AbortController();
  const exitedEarly = new Promise<never>((_, reject) => {
    for (const service of services) {
      void service.handle.exited.then((code) =>
        reject(new Error(`${service.label} exited before it was ready (${exitText(service.handle, code)}); see its output above`)),
      );
    }
  });
  const aborted = new Promise<never>((_, reject) => {
    const signal = options.signal;
    if (signal === undefined) return;
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    done.signal.addEventListener('abort', () => signal.removeEventListener('abort', onAbort), { once: true });
  });
  // Whichever loses the race may still settle later: that must not count as unhandled.
  exitedEarly.catch(() => undefined);
  aborted.catch(() => undefined);

  const poll = async () => {
    const deadline = Date.now() + options.timeoutMs;
    while (!done.signal.aborted) {
      const ready = await Promise.all(services.map((s) => isReady(s.url)));
      if (ready.every(Boolean)) return;
      if (Date.now() > deadline) {
        const waiting = services.filter((_, i) => !ready[i]).map((s) => s.label);
        throw new Error(`not ready within ${options.timeoutMs} ms: ${waiting.join(', ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  try {
    await Promise.race([poll(), exitedEarly, aborted]);
  } finally {
    done.abort();
  }
}
