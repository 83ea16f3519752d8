import type { Logger } from '@pizza/shared';
import { orderTimerIds } from '../domain/timers';
import type { SimulatorDeps } from './schedule-step';

/**
 * order.cancelled → the order's pending timers are dropped, and the cancellation is remembered so that a late
 * simulate request for it is refused.
 */
export async function dropOrderTimers(deps: Pick<SimulatorDeps, 'store'>, orderId: string, logger: Logger) {
  const removed = await deps.store.cancelOrder(orderId, orderTimerIds(orderId));
  logger.info({ order_id: orderId, removed }, 'order cancelled; its timers are dropped');
}
