import type { Handler } from '@pizza/shared';
import { orderStatusChangedUpdate } from '../domain/tracking';
import { applyUpdate, type HandlerDeps } from './apply';

/** order.status_changed → the order's cached state moves forward and the change is fanned out. */
export function onOrderStatusChanged(deps: HandlerDeps): Handler<'order.status_changed'> {
  return (event, ctx) => applyUpdate(deps, orderStatusChangedUpdate(event), ctx);
}
