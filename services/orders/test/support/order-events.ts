import { ORDER_LIFECYCLE, type OrderStatus } from '@pizza/shared/contract';
import { movesTo } from '@pizza/shared/testing';
import type { OrderEvent } from '../../src/domain/order';

/** One order's events at fixed times, for the decider tests: `at(s)` is second `s` of the order's life. */
export const at = (second: number) => new Date(Date.UTC(2030, 0, 1, 12, 0, second));
export const iso = (second: number) => at(second).toISOString();
export const order_id = 'o1';

export const created: OrderEvent = {
  type: 'order.created',
  data: {
    order_id,
    status: 'created',
    items: [{ item_id: 'margherita', name: 'Margherita', quantity: 2, unit_price: 899 }],
    total: 1798,
    customer: { name: 'Ada', address: '1 Loop Lane' },
    token_hash: 'a'.repeat(64),
    created_at: iso(0),
  },
};

export const changed = (from: OrderStatus, status: OrderStatus, second: number): OrderEvent => ({
  type: 'order.status_changed',
  data: { order_id, from, status, at: iso(second) },
});

/** The order's history up to `status` along its happy path, one second a step. */
export const historyTo = (status: (typeof ORDER_LIFECYCLE.happyPath)[number]): OrderEvent[] => [
  created,
  ...movesTo(ORDER_LIFECYCLE.happyPath, status).map(([from, to], i) => changed(from, to, i + 1)),
];
export const confirmedOrder = historyTo('confirmed');
export const preparingOrder = historyTo('preparing');
export const outOrder = historyTo('out_for_delivery');
