import { ORDER_STATUSES, type OrderStatus } from '@pizza/shared/contract';
import { decideTransition, simulationAfter, TRANSITIONS } from '../src/domain/transitions';

const at = new Date('2030-01-01T12:00:00.000Z');

describe('order status transitions', () => {
  test.each<[OrderStatus, OrderStatus, OrderStatus | null]>([
    ['created', 'confirmed', 'preparing'],
    ['confirmed', 'preparing', 'out_for_delivery'],
    ['preparing', 'out_for_delivery', null],
    ['out_for_delivery', 'delivered', null],
    ['created', 'cancelled', null],
    ['confirmed', 'cancelled', null],
  ])(
    'given %s, when moving to %s, then it is applied and the simulator is asked for %s',
    (from, to, next) => {
      const decision = decideTransition(from, to, at);
      expect(decision).toEqual({ ok: true, from, to, timelineEntry: { status: to, at }, simulateNext: next });
    },
  );

  test.each<[OrderStatus, OrderStatus, string]>([
    ['created', 'preparing', 'skip'],
    ['created', 'delivered', 'skip'],
    ['confirmed', 'out_for_delivery', 'skip'],
    ['preparing', 'confirmed', 'backwards'],
    ['out_for_delivery', 'created', 'backwards'],
    ['confirmed', 'confirmed', 'stale'],
    ['cancelled', 'cancelled', 'stale'],
    ['delivered', 'cancelled', 'terminal'],
    ['cancelled', 'confirmed', 'terminal'],
    ['preparing', 'cancelled', 'not_allowed'],
    ['out_for_delivery', 'cancelled', 'not_allowed'],
  ])('given %s, when moving to %s, then it is rejected as %s', (from, to, reason) => {
    expect(decideTransition(from, to, at)).toEqual({ ok: false, from, to, reason });
  });

  test('every pair outside the table is rejected, every pair inside accepted', () => {
    for (const from of ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) {
        expect(decideTransition(from, to, at).ok).toBe(TRANSITIONS[from].includes(to));
      }
    }
  });

  test('only created and confirmed orders can be cancelled', () => {
    expect(ORDER_STATUSES.filter((s) => TRANSITIONS[s].includes('cancelled'))).toEqual([
      'created',
      'confirmed',
    ]);
  });

  test('the simulator drives an order from created up to out_for_delivery, and no further', () => {
    expect(simulationAfter('created')).toBe('confirmed');
    expect(simulationAfter('out_for_delivery')).toBeNull();
    expect(simulationAfter('cancelled')).toBeNull();
  });
});
