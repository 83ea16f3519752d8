import { AppError, type HandlerContext } from '@pizza/shared';
import type { TrackingUpdate } from '../domain/tracking';
import type { GatewayMetrics } from '../metrics';
import type { TrackingCache } from '../store/tracking-cache';

export interface HandlerDeps {
  cache: TrackingCache;
  metrics: GatewayMetrics;
  /** STREAM_MAX_RETRIES: on the last attempt an early update is applied anyway. */
  maxRetries: number;
}

/** An event came before the step it follows (across streams or replicas): retried after the claim delay. */
export class OutOfOrderError extends AppError {
  constructor(orderId: string) {
    super(`an earlier step of order ${orderId} is not applied yet`, {
      code: 'out_of_order',
      retryable: true,
    });
  }
}

/** Applies one update to the cache (which fans it out). Duplicates and stale updates are acked as no-ops. */
export async function applyUpdate(
  deps: HandlerDeps,
  update: TrackingUpdate,
  ctx: HandlerContext,
): Promise<void> {
  const force = ctx.attempt >= deps.maxRetries;
  const outcome = await deps.cache.apply(update, { force });
  deps.metrics.updates.inc({ outcome });
  if (outcome === 'early') throw new OutOfOrderError(update.orderId);
  if (outcome === 'unknown')
    ctx.logger.warn({ order_id: update.orderId }, 'update for an order never created; ignored');
}
