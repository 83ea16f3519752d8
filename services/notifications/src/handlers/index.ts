import type { BatchHandler, Envelope, HandlerContext, Handlers } from '@pizza/shared';
import {
  deliveryCreatedUpdate,
  deliveryStatusChangedUpdate,
  orderCancelledUpdate,
  orderCreatedUpdate,
  orderStatusChangedUpdate,
  type TrackingUpdate,
} from '../domain/tracking';
import { applyUpdate, applyUpdates, type HandlerDeps } from './apply';

type Tracked = Envelope<
  'order.created' | 'order.status_changed' | 'order.cancelled' | 'delivery.created' | 'delivery.status_changed'
>;

/**
 * Every event the gateway consumes does the same thing: the order's cached state moves forward and the change
 * is fanned out. `order.created` also makes the order known, with its token hash. One read of the bus is
 * applied in one round trip to Redis; each event alone is the fallback.
 */
export function trackingHandlers(deps: HandlerDeps) {
  const handlers = {
    'order.created': (event, ctx) => applyUpdate(deps, updateOf(event, ctx), ctx),
    'order.status_changed': (event, ctx) => applyUpdate(deps, updateOf(event, ctx), ctx),
    'order.cancelled': (event, ctx) => applyUpdate(deps, updateOf(event, ctx), ctx),
    'delivery.created': (event, ctx) => applyUpdate(deps, updateOf(event, ctx), ctx),
    'delivery.status_changed': (event, ctx) => applyUpdate(deps, updateOf(event, ctx), ctx),
  } satisfies Handlers;
  // The consumer hands over only the types above (those with a handler).
  const batchHandler: BatchHandler = (entries) =>
    applyUpdates(
      deps,
      entries.map((e) => ({ update: updateOf(e.event as Tracked, e.ctx), ctx: e.ctx })),
    );
  return { handlers, batchHandler };
}

function updateOf(event: Tracked, ctx: HandlerContext): TrackingUpdate {
  const update = domainUpdateOf(event);
  return ctx.traceparent ? { ...update, traceparent: ctx.traceparent } : update;
}

function domainUpdateOf(event: Tracked): TrackingUpdate {
  switch (event.event_type) {
    case 'order.created':
      return orderCreatedUpdate(event);
    case 'order.status_changed':
      return orderStatusChangedUpdate(event);
    case 'order.cancelled':
      return orderCancelledUpdate(event);
    case 'delivery.created':
      return deliveryCreatedUpdate(event);
    case 'delivery.status_changed':
      return deliveryStatusChangedUpdate(event);
  }
}
