import { childEvent, newEvent, type Envelope } from '@pizza/shared';
import { isPublished, type OrderEvent } from '../domain/order';
import { shownStock } from '../domain/pricing';
import type { StockAfterWrite } from '../store/menu';

/** The envelopes the order service's use cases write to the outbox. */

/**
 * The events of an order that leave the service: children of the event that caused them, or, when a
 * customer's request did, new events correlated by the order's id.
 */
export function envelopesOf(
  events: readonly OrderEvent[],
  origin: { source: string; now: Date; orderId: string; cause?: Envelope },
): Envelope[] {
  const { source, now, orderId, cause } = origin;
  return events
    .filter(isPublished)
    .map((e) =>
      cause
        ? childEvent(cause, e.type, e.data, { source, now })
        : newEvent(e.type, e.data, { source, now, correlationId: orderId }),
    );
}

/**
 * The `stock.changed` event of a transaction that wrote stock: each item's level and version as the same
 * transaction left them, so a reader never sees a level the database did not commit. None for no items.
 */
export function stockChanged(
  items: readonly StockAfterWrite[],
  origin: { source: string; now: Date; correlationId?: string },
): Envelope<'stock.changed'>[] {
  if (items.length === 0) return [];
  const levels = [...items]
    .sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0))
    .map((item) => ({
      item_id: item._id,
      // As the menu shows it; a version is there after any write, the fallback only guards odd documents.
      stock: shownStock(item.stock),
      version: Math.max(1, item.stock_version ?? 1),
    }));
  return [newEvent('stock.changed', { items: levels, at: origin.now.toISOString() }, origin)];
}
