import type { BatchEntry, BatchHandler, Envelope, HandlerContext, Handlers } from '@pizza/shared';
import type { StockLevels } from '../stock/stock-levels';
import {
  deliveryStatusUpdate,
  orderCreatedUpdate,
  orderStatusUpdate,
  type TrackingUpdate,
} from '../domain/tracking';
import { applyUpdate, applyUpdates, type TrackingDeps } from '../application/apply-tracking-update';

type Tracked = Envelope<
  | 'order.created'
  | 'order.status_changed'
  | 'order.cancelled'
  | 'delivery.created'
  | 'delivery.status_changed'
>;

/**
 * Every order event the gateway consumes does the same thing: the order's cached state moves forward and the
 * change is fanned out. `order.created` also makes the order known, with its token hash. `stock.changed` moves
 * the cached stock levels (the stock channel pushes them). One read of the bus is applied in (at most) two
 * round trips to Redis; each event alone is the fallback.
 */
export function trackingHandlers(deps: TrackingDeps & { stock: StockLevels }) {
  const handlers = {
    'order.created': (event, ctx) => applyUpdate(deps, updateOf(event, ctx), ctx),
    'order.status_changed': (event, ctx) => applyUpdate(deps, updateOf(event, ctx), ctx),
    'order.cancelled': (event, ctx) => applyUpdate(deps, updateOf(event, ctx), ctx),
    'delivery.created': (event, ctx) => applyUpdate(deps, updateOf(event, ctx), ctx),
    'delivery.status_changed': (event, ctx) => applyUpdate(deps, updateOf(event, ctx), ctx),
    'stock.changed': async (event) => void (await deps.stock.apply(event.payload.items)),
  } satisfies Handlers;
  // The consumer hands over only the types above (those with a handler).
  const batchHandler: BatchHandler = async (entries) => {
    const stock = entries.filter(isStockChange);
    const tracked = entries.filter((e) => !isStockChange(e));
    await deps.stock.apply(stock.flatMap((e) => e.event.payload.items));
    if (tracked.length === 0) return;
    await applyUpdates(
      deps,
      tracked.map((e) => ({ update: updateOf(e.event as Tracked, e.ctx), ctx: e.ctx })),
    );
  };
  return { handlers, batchHandler };
}

const isStockChange = (entry: BatchEntry): entry is BatchEntry & { event: Envelope<'stock.changed'> } =>
  entry.event.event_type === 'stock.changed';

function updateOf(event: Tracked, ctx: HandlerContext): TrackingUpdate {
  const update = domainUpdateOf(event);
  return ctx.traceparent ? { ...update, traceparent: ctx.traceparent } : update;
}

function domainUpdateOf(event: Tracked): TrackingUpdate {
  switch (event.event_type) {
    case 'order.created':
      return orderCreatedUpdate(event);
    case 'order.status_changed':
    case 'order.cancelled':
      return orderStatusUpdate(event);
    case 'delivery.created':
    case 'delivery.status_changed':
      return deliveryStatusUpdate(event);
  }
}
