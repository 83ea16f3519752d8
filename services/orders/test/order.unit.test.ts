import type { DeliveryStatus, OrderStatus, SimulatedOrderStatus } from '@pizza/shared/contract';
import { deciderSpec } from '@pizza/shared/testing';
import {
  decide,
  evolve,
  evolveAll,
  initialState,
  type OrderCommand,
  type OrderEvent,
} from '../src/domain/order';
import {
  at,
  changed,
  confirmedOrder,
  created,
  iso,
  order_id,
  outOrder,
  preparingOrder,
} from './support/order-events';

const spec = deciderSpec({ initialState, decide, evolve });
const simulate = (next_status: SimulatedOrderStatus): OrderEvent => ({
  type: 'order.simulate',
  data: { order_id, next_status },
});
const cancelled = (from: OrderStatus, second: number): OrderEvent => ({
  type: 'order.cancelled',
  data: {
    order_id,
    from,
    status: 'cancelled',
    items: [{ item_id: 'margherita', quantity: 2 }],
    at: iso(second),
  },
});
/** The delivery reached `status` at `second`; the order heard of it a second later. */
const recorded = (status: DeliveryStatus, second: number): OrderEvent => ({
  type: 'order.delivery_recorded',
  data: { delivery: { id: 'd1', status, updated_at: at(second) }, at: at(second + 1) },
});

const deliveredOrder = [...outOrder, recorded('delivered', 4), changed('out_for_delivery', 'delivered', 4)];

const simulated = (status: SimulatedOrderStatus, second: number) =>
  ({ type: 'ApplySimulatedStatus', status, now: at(second) }) as const;
const delivery = (status: DeliveryStatus, second: number) =>
  ({
    type: 'RecordDeliveryStatus',
    delivery: { id: 'd1', status, at: at(second) },
    now: at(second + 1),
  }) as const;
const cancel = (second: number) => ({ type: 'CancelOrder', now: at(second) }) as const;

describe('placing an order', () => {
  const place: OrderCommand = {
    type: 'PlaceOrder',
    now: at(0),
    order: {
      _id: order_id,
      items: [{ item_id: 'margherita', name: 'Margherita', quantity: 2, unit_price: 899, line_total: 1798 }],
      total: 1798,
      customer: { name: 'Ada', address: '1 Loop Lane' },
      token_hash: 'a'.repeat(64),
    },
  };

  test('given no order, when it is placed, then it is created and the simulator is asked to confirm it', () => {
    spec
      .given([])
      .when(place)
      .then([created, simulate('confirmed')]);
  });

  test('given an order, when it is placed again, then that is not allowed', () => {
    spec.given([created]).when(place).then({ rejected: 'not_allowed' });
  });
});

describe('simulated steps', () => {
  test('given a created order, when the simulator confirms it, then it is confirmed and preparing is asked for', () => {
    spec
      .given([created])
      .when(simulated('confirmed', 1))
      .then([changed('created', 'confirmed', 1), simulate('preparing')]);
  });

  test('given a confirmed order, when the simulator says preparing, then out_for_delivery is asked for next', () => {
    spec
      .given(confirmedOrder)
      .when(simulated('preparing', 2))
      .then([changed('confirmed', 'preparing', 2), simulate('out_for_delivery')]);
  });

  test('given a preparing order, when it goes out for delivery, then the simulator is asked for nothing more', () => {
    spec
      .given(preparingOrder)
      .when(simulated('out_for_delivery', 3))
      .then([changed('preparing', 'out_for_delivery', 3)]);
  });

  test.each([
    ['a created order', 'preparing', 'skip', [created]],
    ['a created order', 'out_for_delivery', 'skip', [created]],
    ['a preparing order', 'confirmed', 'backwards', preparingOrder],
    ['a confirmed order', 'confirmed', 'stale', confirmedOrder],
    ['a cancelled order', 'confirmed', 'terminal', [created, cancelled('created', 1)]],
    ['a delivered order', 'out_for_delivery', 'terminal', deliveredOrder],
    ['no order', 'confirmed', 'not_allowed', []],
  ] as const)(
    'given %s, when the simulator says %s, then it is rejected as %s',
    (_, status, reason, given) => {
      spec.given(given).when(simulated(status, 9)).then({ rejected: reason });
    },
  );
});

describe('cancelling', () => {
  test('given a created order, when it is cancelled, then order.cancelled names the stock to give back', () => {
    spec
      .given([created])
      .when(cancel(5))
      .then([cancelled('created', 5)]);
  });

  test('given a confirmed order, when it is cancelled, then it is cancelled from confirmed', () => {
    spec
      .given(confirmedOrder)
      .when(cancel(5))
      .then([cancelled('confirmed', 5)]);
  });

  test.each([
    ['a preparing order', 'not_allowed', preparingOrder],
    ['an order out for delivery', 'not_allowed', outOrder],
    ['a cancelled order', 'stale', [created, cancelled('created', 1)]],
    ['a delivered order', 'terminal', deliveredOrder],
  ] as const)('given %s, when it is cancelled, then it is rejected as %s', (_, reason, given) => {
    spec.given(given).when(cancel(9)).then({ rejected: reason });
  });
});

describe('the delivery', () => {
  test('given an order out for delivery, when its delivery is waiting, then the summary records it', () => {
    spec
      .given(outOrder)
      .when(delivery('waiting', 4))
      .then([recorded('waiting', 4)]);
  });

  test('given a delivery on the way, when a late waiting or a repeat comes, then nothing happens', () => {
    const onTheWay = [...outOrder, recorded('waiting', 4), recorded('on_the_way', 5)];
    spec.given(onTheWay).when(delivery('waiting', 6)).then([]);
    spec.given(onTheWay).when(delivery('on_the_way', 6)).then([]);
  });

  test('given a delivery on the way, when it is delivered, then the order is delivered too', () => {
    spec
      .given([...outOrder, recorded('on_the_way', 5)])
      .when(delivery('delivered', 6))
      .then([recorded('delivered', 6), changed('out_for_delivery', 'delivered', 7)]);
  });
});

describe('evolve', () => {
  test('folds an order’s events into its state: status, timeline, delivery, last change', () => {
    expect(spec.given([...outOrder, recorded('on_the_way', 5)]).state).toEqual({
      _id: order_id,
      status: 'out_for_delivery',
      items: [{ item_id: 'margherita', name: 'Margherita', quantity: 2, unit_price: 899, line_total: 1798 }],
      total: 1798,
      customer: { name: 'Ada', address: '1 Loop Lane' },
      token_hash: 'a'.repeat(64),
      timeline: [
        { status: 'created', at: at(0) },
        { status: 'confirmed', at: at(1) },
        { status: 'preparing', at: at(2) },
        { status: 'out_for_delivery', at: at(3) },
      ],
      delivery: { id: 'd1', status: 'on_the_way', updated_at: at(5) },
      created_at: at(0),
      updated_at: at(6),
    });
  });

  test('many events folded over one loaded state give what applying them one by one gives', () => {
    const loaded = evolveAll(initialState(), [created]);
    const rest = deliveredOrder.slice(1);
    expect(evolveAll(loaded, rest)).toEqual(rest.reduce(evolve, loaded));
    expect(evolveAll(loaded, rest)?.status).toBe('delivered');
  });
});
