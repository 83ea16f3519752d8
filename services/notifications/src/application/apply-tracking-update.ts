import { AppError, type HandlerContext } from '@pizza/shared';
import type { TrackingUpdate } from '../domain/tracking';
import type { GatewayMetrics } from '../metrics';
import type { TrackingCache } from '../store/tracking-cache';

export interface TrackingDeps {
  cache: TrackingCache;
  metrics: GatewayMetrics;
  /** STREAM_MAX_RETRIES: on the last attempt an early update is applied anyway. */
  maxRetries: number;
  /** Pauses before applying an early update again within one attempt; default EARLY_RETRY_DELAYS_MS. */
  earlyRetryDelaysMs?: readonly number[];
}

/**
 * An early update's predecessor is usually being applied by another replica at that very moment: a few short
 * tries (300 ms in all) catch it, where leaving the entry pending costs a whole STREAM_CLAIM_IDLE_MS.
 */
export const EARLY_RETRY_DELAYS_MS: readonly number[] = [50, 100, 150];

/** An event came before the step it follows (across streams or replicas): retried after the claim delay. */
export class OutOfOrderError extends AppError {
  constructor(orderId: string) {
    super(`an earlier step of order ${orderId} is not applied yet`, {
      code: 'out_of_order',
      retryable: true,
    });
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Applies one update to the cache (which fans it out). Duplicates and stale updates are acked as no-ops. */
export async function applyUpdate(
  deps: TrackingDeps,
  update: TrackingUpdate,
  ctx: HandlerContext,
): Promise<void> {
  const force = ctx.attempt >= deps.maxRetries;
  const delays = deps.earlyRetryDelaysMs ?? EARLY_RETRY_DELAYS_MS;
  let outcome = await deps.cache.apply(update, { force });
  deps.metrics.updates.inc({ outcome });
  for (const delay of delays) {
    if (outcome !== 'early') break;
    await sleep(delay);
    outcome = await deps.cache.apply(update, { force });
    // 'early' is counted once per attempt, as before these tries.
    if (outcome !== 'early') deps.metrics.updates.inc({ outcome });
  }
  if (outcome === 'early') throw new OutOfOrderError(update.orderId);
  if (outcome === 'unknown') warnUnknown(update, ctx);
}

/**
 * Applies one read's updates in one round trip. An early one (its step is in no earlier entry of the read)
 * then gets its own tries, in order; if it stays early the batch fails and each entry is applied alone, where
 * the ones already applied are stale no-ops.
 */
export async function applyUpdates(
  deps: TrackingDeps,
  entries: readonly { update: TrackingUpdate; ctx: HandlerContext }[],
): Promise<void> {
  const outcomes = await deps.cache.applyMany(
    entries.map(({ update, ctx }) => ({ update, force: ctx.attempt >= deps.maxRetries })),
  );
  for (const [i, outcome] of outcomes.entries()) {
    const { update, ctx } = entries[i]!;
    if (outcome === 'early') await applyUpdate(deps, update, ctx);
    else deps.metrics.updates.inc({ outcome });
    if (outcome === 'unknown') warnUnknown(update, ctx);
  }
}

const warnUnknown = (update: TrackingUpdate, ctx: HandlerContext) =>
  ctx.logger.warn({ order_id: update.orderId }, 'update for an order never created; ignored');
