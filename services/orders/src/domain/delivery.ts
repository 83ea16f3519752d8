import { deliveryRank, type DeliveryStatus } from '@pizza/shared/contract';

/** The order's view of its delivery: kept in step with the delivery service's events, never moved back. */
export interface DeliverySummary {
  id: string;
  status: DeliveryStatus;
  updated_at: Date;
}

/**
 * The summary after a delivery event reporting `status` at `at`, or null when the event brings nothing new
 * (a duplicate, or a status behind the one already known).
 */
export function nextDeliverySummary(
  current: DeliverySummary | null,
  event: { deliveryId: string; status: DeliveryStatus; at: Date },
): DeliverySummary | null {
  if (current && deliveryRank(event.status) <= deliveryRank(current.status)) return null;
  return { id: event.deliveryId, status: event.status, updated_at: event.at };
}

/** A delivered delivery completes the order. */
export function completesOrder(status: DeliveryStatus): boolean {
  return status === 'delivered';
}
