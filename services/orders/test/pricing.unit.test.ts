import { mergeLines, priceLines, unknownItems, type PricedItem } from '../src/domain/pricing';

const menu = new Map<string, PricedItem>([
  ['margherita', { id: 'margherita', name: 'Margherita', price: 899 }],
  ['cola', { id: 'cola', name: 'Cola', price: 250 }],
]);

describe('line merging', () => {
  test('when an item appears twice, then its lines merge at the first position', () => {
    const result = mergeLines([
      { item_id: 'cola', quantity: 2 },
      { item_id: 'margherita', quantity: 1 },
      { item_id: 'cola', quantity: 3 },
    ]);
    expect(result).toEqual({
      ok: true,
      lines: [
        { item_id: 'cola', quantity: 5, index: 0 },
        { item_id: 'margherita', quantity: 1, index: 1 },
      ],
    });
  });

  test('when merged lines pass the bound, then the first line of that item is named', () => {
    const result = mergeLines([
      { item_id: 'margherita', quantity: 1 },
      { item_id: 'cola', quantity: 30 },
      { item_id: 'cola', quantity: 21 },
    ]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path)).toEqual(['items.1.quantity']);
  });

  test('a merged quantity exactly at the bound is accepted', () => {
    expect(
      mergeLines([
        { item_id: 'cola', quantity: 25 },
        { item_id: 'cola', quantity: 25 },
      ]).ok,
    ).toBe(true);
  });

  test('unknown items are named by their first line', () => {
    const merged = mergeLines([
      { item_id: 'cola', quantity: 1 },
      { item_id: 'pineapple', quantity: 1 },
    ]);
    if (!merged.ok) throw new Error('expected merge');
    expect(unknownItems(merged.lines, new Set(['cola']))).toEqual([
      { path: 'items.1.item_id', message: 'Unknown menu item: pineapple' },
    ]);
  });
});

describe('pricing', () => {
  test('the total is the sum of unit price × quantity, in integer cents', () => {
    const { lines, total } = priceLines(
      [
        { item_id: 'margherita', quantity: 3 },
        { item_id: 'cola', quantity: 2 },
      ],
      menu,
    );
    expect(lines).toEqual([
      { item_id: 'margherita', name: 'Margherita', quantity: 3, unit_price: 899, line_total: 2697 },
      { item_id: 'cola', name: 'Cola', quantity: 2, unit_price: 250, line_total: 500 },
    ]);
    expect(total).toBe(3197);
    expect(Number.isInteger(total)).toBe(true);
  });

  test('a price that is not integer cents is refused rather than carried into a total', () => {
    const bad = new Map([['x', { id: 'x', name: 'X', price: 8.99 }]]);
    expect(() => priceLines([{ item_id: 'x', quantity: 1 }], bad)).toThrow(/bad price/);
  });
});
