import { ORDER_LIFECYCLE, type SimulatedOrderStatus } from '@pizza/shared/contract';
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
import {
  at,
  changed,
  confirmedOrder,
  created,
  order_id,
  outOrder,
  preparingOrder,
} from './support/order-events';

/** A re-drive as a decider's command: given the order's events, when the reconciler looks, then these events. */
interface Look {
  now: Date;
  stallMs: number;
  redrivenAt?: Date;
}
const lookAt = (look: Look, state: OrderState): OrderEvent[] =>
  state ? (redriveOf(state, look.redrivenAt, look.now, look.stallMs)?.events ?? []) : [];
const spec = deciderSpec({ initialState, decide: lookAt, evolve });

const STALL_MS = 10_000;

const redrive = (next_status: SimulatedOrderStatus): OrderEvent => ({
  type: 'order.simulate',
  data: { order_id, next_status, redrive: true },
});
/** Status changes said again carry `redrive`, so a delivery that exists answers them (a redelivery does not). */
const saidAgain = (events: OrderEvent[]): OrderEvent[] =>
  events.map((e) => (e.type === 'order.status_changed' ? { ...e, data: { ...e.data, redrive: true } } : e));

describe('re-driving an order that made no progress', () => {
  test('given a created order stalled, when the reconciler looks, then its history again and the first step asked for again', () => {
    spec
      .given([created])
      .when({ now: at(10), stallMs: STALL_MS })
      .then([created, redrive('confirmed')]);
  });

  test('given an order in preparation stalled, then its whole history and the request for out_for_delivery', () => {
    spec
      .given(preparingOrder)
      .when({ now: at(12), stallMs: STALL_MS })
      .then([...saidAgain(preparingOrder), redrive('out_for_delivery')]);
  });

  test('given an order out for delivery stalled, then only its history: its last status change starts, or re-answers, the delivery', () => {
    spec
      .given(outOrder)
      .when({ now: at(13), stallMs: STALL_MS })
      .then(saidAgain(outOrder));
  });

  test('given an order that moved within the stall bound, then nothing', () => {
    spec
      .given(preparingOrder)
      .when({ now: at(11), stallMs: STALL_MS })
      .then([]);
  });

  test('given an order re-driven within the stall bound, then nothing: one re-drive per bound, however many replicas look', () => {
    spec
      .given(confirmedOrder)
      .when({ now: at(30), stallMs: STALL_MS, redrivenAt: at(25) })
      .then([]);
    spec
      .given(confirmedOrder)
      .when({ now: at(35), stallMs: STALL_MS, redrivenAt: at(25) })
      .then([...saidAgain(confirmedOrder), redrive('preparing')]);
  });

  test('given a finished order (delivered or cancelled), then nothing, however long ago', () => {
    const delivered = [...outOrder, changed('out_for_delivery', 'delivered', 4)];
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
    const order = evolveAll(initialState(), outOrder) as Order;
    expect(redriveOf(order, undefined, at(20), STALL_MS)).toMatchObject({
      step: 'delivered',
      stalledMs: 17_000,
    });
    // Every status of the happy path but its last; cancelled is finished too.
    expect(UNFINISHED_ORDER_STATUSES).toEqual(ORDER_LIFECYCLE.happyPath.slice(0, -1));
  });

  test('the history folds back into the same order: what consumers rebuild from it is what the order is', () => {
    const order = evolveAll(initialState(), outOrder) as Order;
    expect(evolveAll(initialState(), publishedHistory(order))).toEqual(order);
  });
});
