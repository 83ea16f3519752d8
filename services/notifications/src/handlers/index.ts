import type { Handlers } from '@pizza/shared';
import {
  deliveryCreatedUpdate,
  deliveryStatusChangedUpdate,
  orderCancelledUpdate,
  orderCreatedUpdate,
  orderStatusChangedUpdate,
} from '../domain/tracking';
import { applyUpdate, type HandlerDeps } from './apply';

/**
 * Every event the gateway consumes does the same thing: the order's cached state moves forward and the change
 * is fanned out. `order.created` also makes the order known, with its token hash.
 */
export function trackingHandlers(deps: HandlerDeps) {
  return {
    'order.created': (event, ctx) => applyUpdate(deps, orderCreatedUpdate(event), ctx),
    'order.status_changed': (event, ctx) => applyUpdate(deps, orderStatusChangedUpdate(event), ctx),
    'order.cancelled': (event, ctx) => applyUpdate(deps, orderCancelledUpdate(event), ctx),
    'delivery.created': (event, ctx) => applyUpdate(deps, deliveryCreatedUpdate(event), ctx),
    'delivery.status_changed': (event, ctx) => applyUpdate(deps, deliveryStatusChangedUpdate(event), ctx),
  } satisfies Handlers;
}
