/**
 * The load driver: calls `fire` at a fixed rate (open loop: arrivals do not wait for answers) or from a
 * fixed number of workers (closed loop: each sends again as soon as it has its answer), for a set time.
 * Bounded both ways: it stops sending at the deadline, caps requests in flight, then waits for the rest.
 */
export type LoadShape = { kind: 'rate'; rate: number } | { kind: 'concurrency'; concurrency: number };

export interface LoadOptions {
  shape: LoadShape;
  durationMs: number;
  /** Open loop only: arrivals beyond this many unanswered requests are skipped (and counted). */
  maxInFlight?: number;
}

export interface LoadResult {
  sent: number;
  /** Open-loop arrivals not sent because `maxInFlight` requests were still unanswered. */
  skipped: number;
  /** From the first request to the last answer. */
  elapsedMs: number;
}

export function describeShape(shape: LoadShape): string {
  return shape.kind === 'rate' ? `${shape.rate} orders/s offered` : `${shape.concurrency} concurrent clients`;
}

export async function drive(options: LoadOptions, fire: (seq: number) => Promise<void>): Promise<LoadResult> {
  const started = performance.now();
  const deadline = started + options.durationMs;
  let sent = 0;
  let skipped = 0;
  const inFlight = new Set<Promise<void>>();
  const launch = () => {
    const p = fire(sent++).catch(() => undefined);
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };

  if (options.shape.kind === 'rate') {
    const { rate } = options.shape;
    const cap = options.maxInFlight ?? 2_000;
    let due = 0;
    while (performance.now() < deadline) {
      const target = Math.floor(((performance.now() - started) / 1000) * rate);
      for (; due < target; due++) {
        if (inFlight.size >= cap) skipped++;
        else launch();
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  } else {
    const worker = async () => {
      while (performance.now() < deadline) {
        const p = fire(sent++).catch(() => undefined);
        inFlight.add(p);
        await p;
        inFlight.delete(p);
      }
    };
    await Promise.all(Array.from({ length: options.shape.concurrency }, worker));
  }
  await Promise.all([...inFlight]);
  return { sent, skipped, elapsedMs: performance.now() - started };
}
