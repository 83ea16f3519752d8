import { loadConfig, ConfigError, newEvent } from '@pizza/shared';
import { SimulatorEnv } from '../src/config';
import { deliveryTimerId, orderTimerId, orderTimerIds, pickDelay, requestedStep } from '../src/domain/timers';

describe('timer ids', () => {
  test('name the step, so asking twice for one step is one timer', () => {
    expect(orderTimerId('o1', 'confirmed')).toBe('order:o1:confirmed');
    expect(orderTimerId('o1', 'confirmed')).toBe(orderTimerId('o1', 'confirmed'));
    expect(deliveryTimerId('d1', 'delivered')).toBe('delivery:d1:delivered');
  });

  test('a cancellation covers every step an order can be waiting for', () => {
    expect(orderTimerIds('o1')).toEqual([
      'order:o1:confirmed',
      'order:o1:preparing',
      'order:o1:out_for_delivery',
    ]);
  });
});

describe('requestedStep', () => {
  const source = { source: 'test' };

  test("an order's request: the order's timer, reporting the order's next status", () => {
    const request = newEvent('order.simulate', { order_id: 'o1', next_status: 'preparing' }, source);
    expect(requestedStep(request)).toEqual({
      timerId: 'order:o1:preparing',
      orderId: 'o1',
      redrive: undefined,
      report: { type: 'order.status_simulated', payload: { order_id: 'o1', status: 'preparing' } },
    });
  });

  test("a delivery's request: the delivery's timer, for its order, and a re-drive stays one", () => {
    const request = newEvent(
      'delivery.simulate',
      { delivery_id: 'd1', order_id: 'o1', next_status: 'on_the_way', redrive: true },
      source,
    );
    expect(requestedStep(request)).toEqual({
      timerId: 'delivery:d1:on_the_way',
      orderId: 'o1',
      redrive: true,
      report: {
        type: 'delivery.status_simulated',
        payload: { delivery_id: 'd1', order_id: 'o1', status: 'on_the_way' },
      },
    });
  });
});

describe('pickDelay', () => {
  test('stays within the range, both ends included', () => {
    const range = { minMs: 10, maxMs: 20 };
    expect(pickDelay(range, () => 0)).toBe(10);
    expect(pickDelay(range, () => 0.999_999)).toBe(20);
    expect(pickDelay(range, () => 0.5)).toBe(15);
  });

  test('a zero-width range always gives its one value', () => {
    expect(pickDelay({ minMs: 0, maxMs: 0 }, () => 0.7)).toBe(0);
  });

  test('an empty range is refused', () => {
    expect(() => pickDelay({ minMs: 5, maxMs: 4 })).toThrow(RangeError);
  });
});

describe('environment', () => {
  const base = { REDIS_URL: 'redis://127.0.0.1:6379' };

  test('the delays default to 1 s and 5 s', () => {
    const config = loadConfig(SimulatorEnv, base);
    expect([config.SIMULATOR_MIN_DELAY_MS, config.SIMULATOR_MAX_DELAY_MS]).toEqual([1000, 5000]);
  });

  test('when min exceeds max, then the error names SIMULATOR_MIN_DELAY_MS', () => {
    const load = () =>
      loadConfig(SimulatorEnv, { ...base, SIMULATOR_MIN_DELAY_MS: '50', SIMULATOR_MAX_DELAY_MS: '10' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/SIMULATOR_MIN_DELAY_MS/);
  });

  test('a delay that is not a number is named', () => {
    expect(() => loadConfig(SimulatorEnv, { ...base, SIMULATOR_MAX_DELAY_MS: 'soon' })).toThrow(
      /SIMULATOR_MAX_DELAY_MS/,
    );
  });
});
