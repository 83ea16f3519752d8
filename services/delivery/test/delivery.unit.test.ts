import { DELIVERY_STATUSES, loadConfig, ORDER_STATUSES } from '@pizza/shared';
import { DeliveryEnv } from '../src/config';
import {
  decideTransition,
  newDelivery,
  NEXT_STATUS,
  previousStatus,
  startsDelivery,
} from '../src/domain/delivery';

const now = new Date('2030-01-01T10:00:00.000Z');

describe('when a delivery starts', () => {
  test('only an order going out for delivery starts one', () => {
    expect(ORDER_STATUSES.filter(startsDelivery)).toEqual(['out_for_delivery']);
  });

  test('a new delivery is waiting, with its first history entry', () => {
    expect(newDelivery({ id: 'd1', orderId: 'o1', address: '1 Main St', now })).toEqual({
      id: 'd1',
      orderId: 'o1',
      status: 'waiting',
      address: '1 Main St',
      createdAt: now,
      updatedAt: now,
      history: [{ status: 'waiting', at: now }],
    });
  });
});

describe('delivery transitions', () => {
  test('given waiting, when on_the_way is reported, then it applies and delivered is asked for next', () => {
    expect(decideTransition('waiting', 'on_the_way', now)).toEqual({
      kind: 'apply',
      from: 'waiting',
      to: 'on_the_way',
      at: now,
      next: 'delivered',
    });
  });

  test('given on_the_way, when delivered is reported, then it applies and nothing is asked for next', () => {
    expect(decideTransition('on_the_way', 'delivered', now)).toEqual({
      kind: 'apply',
      from: 'on_the_way',
      to: 'delivered',
      at: now,
      next: null,
    });
  });

  test('a repeated status is ignored', () => {
    expect(decideTransition('on_the_way', 'on_the_way', now)).toEqual({ kind: 'ignore', reason: 'repeated' });
    expect(decideTransition('delivered', 'delivered', now)).toEqual({ kind: 'ignore', reason: 'repeated' });
  });

  test('a status behind the current one is ignored', () => {
    expect(decideTransition('delivered', 'on_the_way', now)).toEqual({ kind: 'ignore', reason: 'backwards' });
    expect(decideTransition('on_the_way', 'waiting', now)).toEqual({ kind: 'ignore', reason: 'backwards' });
  });

  test('a status that skips a step is ignored', () => {
    expect(decideTransition('waiting', 'delivered', now)).toEqual({ kind: 'ignore', reason: 'skipping' });
  });

  test('delivered is final', () => {
    expect(NEXT_STATUS.delivered).toBeNull();
  });

  test('each status but the first has the one status it must be reached from', () => {
    expect(DELIVERY_STATUSES.map(previousStatus)).toEqual([null, 'waiting', 'on_the_way']);
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
