import { completesOrder, nextDeliverySummary } from '../src/domain/delivery';

const t = (s: number) => new Date(Date.UTC(2030, 0, 1, 12, 0, s));

describe('delivery summary', () => {
  test('given no delivery, when one is created, then the summary starts as waiting', () => {
    expect(nextDeliverySummary(null, { deliveryId: 'd1', status: 'waiting', at: t(1) })).toEqual({
      id: 'd1',
      status: 'waiting',
      updated_at: t(1),
    });
  });

  test('a later status moves it forward', () => {
    const current = { id: 'd1', status: 'waiting' as const, updated_at: t(1) };
    expect(nextDeliverySummary(current, { deliveryId: 'd1', status: 'on_the_way', at: t(2) })?.status).toBe(
      'on_the_way',
    );
  });

  test('a repeated or older status changes nothing', () => {
    const current = { id: 'd1', status: 'on_the_way' as const, updated_at: t(2) };
    expect(nextDeliverySummary(current, { deliveryId: 'd1', status: 'on_the_way', at: t(3) })).toBeNull();
    expect(nextDeliverySummary(current, { deliveryId: 'd1', status: 'waiting', at: t(4) })).toBeNull();
  });

  test('given a delivery reported before its creation event, the summary still ends at the latest status', () => {
    const first = nextDeliverySummary(null, { deliveryId: 'd1', status: 'on_the_way', at: t(2) });
    expect(nextDeliverySummary(first, { deliveryId: 'd1', status: 'waiting', at: t(1) })).toBeNull();
  });

  test('only a delivered delivery completes the order', () => {
    expect(completesOrder('delivered')).toBe(true);
    expect(completesOrder('on_the_way')).toBe(false);
  });
});
