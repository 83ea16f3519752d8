import type { Handler } from '@pizza/shared';
import { deliveryCreatedUpdate } from '../domain/tracking';
import { applyUpdate, type HandlerDeps } from './apply';

/** delivery.created → the order's cached state moves forward and the change is fanned out. */
export function onDeliveryCreated(deps: HandlerDeps): Handler<'delivery.created'> {
  return (event, ctx) => applyUpdate(deps, deliveryCreatedUpdate(event), ctx);
}
