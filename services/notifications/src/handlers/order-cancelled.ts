import type { Handler } from '@pizza/shared';
import { orderCancelledUpdate } from '../domain/tracking';
import { applyUpdate, type HandlerDeps } from './apply';

/** order.cancelled → the order's cached state moves forward and the change is fanned out. */
export function onOrderCancelled(deps: HandlerDeps): Handler<'order.cancelled'> {
  return (event, ctx) => applyUpdate(deps, orderCancelledUpdate(event), ctx);
}
