import type { Handler } from '@pizza/shared';
import { deliveryStatusChangedUpdate } from '../domain/tracking';
import { applyUpdate, type HandlerDeps } from './apply';

/** delivery.status_changed → the order's cached state moves forward and the change is fanned out. */
export function onDeliveryStatusChanged(deps: HandlerDeps): Handler<'delivery.status_changed'> {
  return (event, ctx) => applyUpdate(deps, deliveryStatusChangedUpdate(event), ctx);
}
