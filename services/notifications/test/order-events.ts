import { createHash, randomUUID } from 'node:crypto';
import {
  LIFECYCLES,
  newEvent,
  trackingJourney,
  type DeliveryStatus,
  type Envelope,
  type OrderStatus,
} from '@pizza/shared';

/** Events of orders as the services publish them, for feeding the gateway. No I/O: unit tests use them too. */

export const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

const source = { source: 'test' };
const now = () => new Date().toISOString();

/** Events of one order, as the order and delivery services would publish them. */
export function orderEvents(orderId = `o-${randomUUID()}`, token = `t-${randomUUID()}`) {
  const deliveryId = `d-${orderId}`;
  return {
    orderId,
    token,
    created: () =>
      newEvent(
        'order.created',
        {
          order_id: orderId,
          status: 'created',
          items: [{ item_id: 'margherita', name: 'Margherita', quantity: 1, unit_price: 900 }],
          total: 900,
          customer: { name: 'Ada', address: '1 Main St' },
          token_hash: sha256(token),
          created_at: now(),
        },
        source,
      ),
    status: (from: OrderStatus, status: OrderStatus) =>
      newEvent('order.status_changed', { order_id: orderId, from, status, at: now() }, source),
    cancelled: () =>
      newEvent(
        'order.cancelled',
        { order_id: orderId, from: 'created', status: 'cancelled', items: [], at: now() },
        source,
      ),
    deliveryCreated: () =>
      newEvent(
        'delivery.created',
        { delivery_id: deliveryId, order_id: orderId, status: 'waiting', address: '1 Main St', at: now() },
        source,
      ),
    delivery: (from: DeliveryStatus, status: DeliveryStatus) =>
      newEvent(
        'delivery.status_changed',
        { delivery_id: deliveryId, order_id: orderId, from, status, at: now() },
        source,
      ),
  };
}

/** Every state a tracker of an order that goes the whole way sees, in order (as TRACKING_SEQUENCE says them). */
export const JOURNEY = trackingJourney(LIFECYCLES);

/**
 * The whole happy path of one order, in the order the services publish it: the event that brings each
 * state of the journey, so `happyPath(o)[i]` is what makes a tracker see `TRACKING_SEQUENCE[i]`.
 */
export function happyPath(o: ReturnType<typeof orderEvents>): Envelope[] {
  return JOURNEY.map((step, i) => {
    const before = JOURNEY[i - 1];
    if (!before) return o.created();
    if (step.delivery_status === before.delivery_status) return o.status(before.status, step.status);
    if (before.delivery_status === null) return o.deliveryCreated();
    return o.delivery(before.delivery_status, step.delivery_status!);
  });
}
