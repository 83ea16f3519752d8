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

type Step = 'created' | 'confirmed' | 'preparing' | 'out_for_delivery' | 'delivered' | 'cancelled';
export const changed = (from: Step, status: Step, second: number): OrderEvent => ({
  type: 'order.status_changed',
  data: { order_id, from, status, at: iso(second) },
});

/** The order's history at each step of its happy path, one second a step. */
export const confirmedOrder = [created, changed('created', 'confirmed', 1)];
export const preparingOrder = [...confirmedOrder, changed('confirmed', 'preparing', 2)];
export const outOrder = [...preparingOrder, changed('preparing', 'out_for_delivery', 3)];
