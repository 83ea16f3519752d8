import { planRefill } from '../src/stock-refill/plan';

describe('planning a stock refill', () => {
  test('given items below, at and above target, when planned, then only those below go back to exactly their target', () => {
    const plan = planRefill([
      { item_id: 'margherita', stock: 3, target_stock: 20 },
      { item_id: 'cola', stock: 50, target_stock: 50 },
      { item_id: 'diavola', stock: 40, target_stock: 20 },
      { item_id: 'calzone', stock: 0, target_stock: 10 },
    ]);
    expect(plan).toEqual([
      { item_id: 'calzone', from: 0, to: 10 },
      { item_id: 'margherita', from: 3, to: 20 },
    ]);
  });

  test('given every item at or above target, when planned, then nothing changes', () => {
    expect(planRefill([{ item_id: 'cola', stock: 5, target_stock: 5 }])).toEqual([]);
    expect(planRefill([])).toEqual([]);
  });

  test('given a negative stock left by a bad write, when planned, then it is still raised to target', () => {
    expect(planRefill([{ item_id: 'x', stock: -2, target_stock: 4 }])).toEqual([
      { item_id: 'x', from: -2, to: 4 },
    ]);
  });
});
