import type { Handler } from '@pizza/shared';
import { orderCreatedUpdate } from '../domain/tracking';
import { applyUpdate, type HandlerDeps } from './apply';

/** order.created → the order becomes known (with its token hash) and its first state is fanned out. */
export function onOrderCreated(deps: HandlerDeps): Handler<'order.created'> {
  return (event, ctx) => applyUpdate(deps, orderCreatedUpdate(event), ctx);
}
