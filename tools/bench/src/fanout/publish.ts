import type { EventBus, OrderStatus } from '@pizza/shared';
import { statusChanged } from './events';

/**
 * Publishes one status change per order, either paced (`rate` per second, in small pipelined batches every
 * few milliseconds) or as one burst, and notes when each was handed to Redis.
 */
export interface PublishRun {
  publishedAt: Map<string, number>;
  ms: number;
  ratePerSecond: number;
}

const BURST_BATCH = 500;

export async function publishUpdates(
  bus: EventBus,
  ids: readonly string[],
  change: { from: OrderStatus; to: OrderStatus },
  pace: { rate: number } | 'burst',
): Promise<PublishRun> {
  const publishedAt = new Map<string, number>();
  const started = performance.now();
  const send = async (slice: readonly string[]) => {
    const events = slice.map((id) => statusChanged(id, change.from, change.to));
    const at = performance.now();
    await bus.publish(events);
    for (const id of slice) publishedAt.set(id, at);
  };
  if (pace === 'burst') {
    for (let i = 0; i < ids.length; i += BURST_BATCH) await send(ids.slice(i, i + BURST_BATCH));
  } else {
    let sent = 0;
    while (sent < ids.length) {
      const due = Math.min(ids.length, Math.floor(((performance.now() - started) / 1000) * pace.rate) + 1);
      if (due > sent) {
        await send(ids.slice(sent, due));
        sent = due;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  const ms = performance.now() - started;
  return { publishedAt, ms, ratePerSecond: ids.length / (ms / 1000) };
}

/** Publish-to-receipt latencies of the orders that got the update. */
export function latencies(run: PublishRun, arrivals: ReadonlyMap<string, number>): number[] {
  const out: number[] = [];
  for (const [id, at] of run.publishedAt) {
    const received = arrivals.get(id);
    if (received !== undefined) out.push(received - at);
  }
  return out;
}
