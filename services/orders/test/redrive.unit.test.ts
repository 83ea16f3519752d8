import { deciderSpec } from '@pizza/shared/testing';
import {
  evolve,
  evolveAll,
  initialState,
  type Order,
  type OrderEvent,
  type OrderState,
} from '../src/domain/order';
import { publishedHistory, redriveOf, UNFINISHED_ORDER_STATUSES } from '../src/domain/redrive';

/** A re-drive as a decider's command: given the order's events, when the reconciler looks, then these events. */
interface Look {
  now: Date;
  stallMs: number;
  redrivenAt?: Date;
}
const lookAt = (look: Look, state: OrderState): OrderEvent[] =>
  state ? (redriveOf(state, look.redrivenAt, look.now, look.stallMs)?.events ?? []) : [];
const spec = deciderSpec({ initialState, decide: lookAt, evolve });

const at = (second: number) => new Date(Date.UTC(2030, 0, 1, 12, 0, second));
const iso = (second: number) => at(second).toISOString();
const order_id = 'o1';
const STALL_MS = 10_000;

const created: OrderEvent = {
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
const changed = (from: Step, status: Step, second: number): OrderEvent => ({
  type: 'order.status_changed',
  data: { order_id, from, status, at: iso(second) },
});
const redrive = (next_status: 'confirmed' | 'preparing' | 'out_for_delivery'): OrderEvent => ({
  type: 'order.simulate',
  data: { order_id, next_status, redrive: true },
});
/** Status changes said again carry `redrive`, so a delivery that exists answers them (a redelivery does not). */
const saidAgain = (events: OrderEvent[]): OrderEvent[] =>
  events.map((e) => (e.type === 'order.status_changed' ? { ...e, data: { ...e.data, redrive: true } } : e));
const confirmed = [created, changed('created', 'confirmed', 1)];
const preparing = [...confirmed, changed('confirmed', 'preparing', 2)];
const out = [...preparing, changed('preparing', 'out_for_delivery', 3)];

describe('re-driving an order that made no progress', () => {
  test('given a created order stalled, when the reconciler looks, then its history again and the first step asked for again', () => {
    spec
      .given([created])
      .when({ now: at(10), stallMs: STALL_MS })
      .then([created, redrive('confirmed')]);
  });

  test('given an order in preparation stalled, then its whole history and the request for out_for_delivery', () => {
    spec
      .given(preparing)
      .when({ now: at(12), stallMs: STALL_MS })
      .then([...saidAgain(preparing), redrive('out_for_delivery')]);
  });

  test('given an order out for delivery stalled, then only its history: its last status change starts, or re-answers, the delivery', () => {
    spec
      .given(out)
      .when({ now: at(13), stallMs: STALL_MS })
      .then(saidAgain(out));
  });

  test('given an order that moved within the stall bound, then nothing', () => {
    spec
      .given(preparing)
      .when({ now: at(11), stallMs: STALL_MS })
      .then([]);
  });

  test('given an order re-driven within the stall bound, then nothing: one re-drive per bound, however many replicas look', () => {
    spec
      .given(confirmed)
      .when({ now: at(30), stallMs: STALL_MS, redrivenAt: at(25) })
      .then([]);
    spec
      .given(confirmed)
      .when({ now: at(35), stallMs: STALL_MS, redrivenAt: at(25) })
      .then([...saidAgain(confirmed), redrive('preparing')]);
  });

  test('given a finished order (delivered or cancelled), then nothing, however long ago', () => {
    const delivered = [...out, changed('out_for_delivery', 'delivered', 4)];
    spec
      .given(delivered)
      .when({ now: at(59), stallMs: STALL_MS })
      .then([]);
    spec
      .given([created, changed('created', 'cancelled', 1)])
      .when({ now: at(59), stallMs: STALL_MS })
      .then([]);
  });

  test('the step re-driven is the status it waits for, and the stall is measured from its last change', () => {
    const order = evolveAll(initialState(), out) as Order;
    expect(redriveOf(order, undefined, at(20), STALL_MS)).toMatchObject({
      step: 'delivered',
      stalledMs: 17_000,
    });
    expect(UNFINISHED_ORDER_STATUSES).toEqual(['created', 'confirmed', 'preparing', 'out_for_delivery']);
  });

  test('the history folds back into the same order: what consumers rebuild from it is what the order is', () => {
    const order = evolveAll(initialState(), out) as Order;
    expect(evolveAll(initialState(), publishedHistory(order))).toEqual(order);
  });
});
