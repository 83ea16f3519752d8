import {
  DELIVERY_LIFECYCLE,
  loadConfig,
  ORDER_STATUSES,
  type DeliveryStatus,
  type SimulatedDeliveryStatus,
} from '@pizza/shared';
import { deciderSpec, movesTo } from '@pizza/shared/testing';
import { DeliveryEnv } from '../src/config';
import { decide, evolve, initialState, startsDelivery, type DeliveryEvent } from '../src/domain/delivery';

const spec = deciderSpec({ initialState, decide, evolve });
const at = (second: number) => new Date(Date.UTC(2030, 0, 1, 10, 0, second));
const ids = { delivery_id: 'd1', order_id: 'o1' };

const created: DeliveryEvent = {
  type: 'delivery.created',
  data: { ...ids, status: 'waiting', address: '1 Main St', at: at(0).toISOString() },
};
const changed = (from: DeliveryStatus, status: DeliveryStatus, second: number): DeliveryEvent => ({
  type: 'delivery.status_changed',
  data: { ...ids, from, status, at: at(second).toISOString() },
});
const simulate = (next_status: SimulatedDeliveryStatus): DeliveryEvent => ({
  type: 'delivery.simulate',
  data: { ...ids, next_status },
});
const start = {
  type: 'StartDelivery',
  now: at(0),
  delivery: { id: 'd1', orderId: 'o1', address: '1 Main St' },
} as const;
const simulated = (status: SimulatedDeliveryStatus, second: number) =>
  ({ type: 'ApplySimulatedStatus', status, now: at(second) }) as const;
/** The delivery's history up to `status` along its happy path, one second a step. */
const historyTo = (status: DeliveryStatus): DeliveryEvent[] => [
  created,
  ...movesTo(DELIVERY_LIFECYCLE.happyPath, status).map(([from, to], i) => changed(from, to, i + 1)),
];
const onTheWay = historyTo('on_the_way');
const delivered = historyTo('delivered');

describe('starting a delivery', () => {
  test('only an order going out for delivery starts one', () => {
    expect(ORDER_STATUSES.filter(startsDelivery)).toEqual(['out_for_delivery']);
  });

  test('given no delivery, when one starts, then it is waiting and the simulator is asked for on_the_way', () => {
    spec
      .given([])
      .when(start)
      .then([created, simulate('on_the_way')]);
  });

  test('given a delivery for the order, when another start comes, then it is stale', () => {
    spec.given([created]).when(start).then({ rejected: 'stale' });
  });

  test('a new delivery is waiting, with its first history entry', () => {
    expect(spec.given([created]).state).toEqual({
      id: 'd1',
      orderId: 'o1',
      status: 'waiting',
      address: '1 Main St',
      createdAt: at(0),
      updatedAt: at(0),
      history: [{ status: 'waiting', at: at(0) }],
    });
  });
});

describe('simulated steps', () => {
  test('given a waiting delivery, when it is on the way, then delivered is asked for next', () => {
    spec
      .given([created])
      .when(simulated('on_the_way', 1))
      .then([changed('waiting', 'on_the_way', 1), simulate('delivered')]);
  });

  test('given a delivery on the way, when it is delivered, then the simulator is asked for nothing more', () => {
    spec
      .given(onTheWay)
      .when(simulated('delivered', 2))
      .then([changed('on_the_way', 'delivered', 2)]);
  });

  test.each([
    ['a waiting delivery', 'delivered', 'skip', [created]],
    ['a delivery on the way', 'on_the_way', 'stale', onTheWay],
    ['a delivered delivery', 'on_the_way', 'terminal', delivered],
    ['a delivered delivery', 'delivered', 'stale', delivered],
    ['no delivery', 'on_the_way', 'not_allowed', []],
  ] as const)(
    'given %s, when the simulator says %s, then it is rejected as %s',
    (_, status, reason, given) => {
      spec.given(given).when(simulated(status, 9)).then({ rejected: reason });
    },
  );

  test('a delivery keeps every status it reached, with when', () => {
    expect(spec.given(delivered).state).toMatchObject({
      status: 'delivered',
      updatedAt: at(2),
      history: [
        { status: 'waiting', at: at(0) },
        { status: 'on_the_way', at: at(1) },
        { status: 'delivered', at: at(2) },
      ],
    });
  });
});

describe('environment', () => {
  test('MONGO_URL is required and named when missing', () => {
    expect(() => loadConfig(DeliveryEnv, { REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/MONGO_URL/);
  });

  test('the crash hook is off unless set to 1', () => {
    const env = { REDIS_URL: 'redis://127.0.0.1:6379', MONGO_URL: 'mongodb://127.0.0.1:27017' };
    expect(loadConfig(DeliveryEnv, env).FAULT_CRASH_AFTER_COMMIT).toBe('0');
    expect(() => loadConfig(DeliveryEnv, { ...env, FAULT_CRASH_AFTER_COMMIT: 'yes' })).toThrow(
      /FAULT_CRASH_AFTER_COMMIT/,
    );
  });
});
