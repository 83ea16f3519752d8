import { envelopeSchema } from '@pizza/shared/contract';
import { stockChanged } from '../src/application/events';

const origin = { source: 'orders', now: new Date('2026-01-01T12:00:00.000Z'), correlationId: 'order-1' };

describe('stock.changed', () => {
  test('carries each written item once, by id, with its level and version, as a valid envelope', () => {
    const [event] = stockChanged(
      [
        { _id: 'margherita', stock: 7, stock_version: 12 },
        { _id: 'cola', stock: 40, stock_version: 3 },
      ],
      origin,
    );
    expect(envelopeSchema('stock.changed').parse(event)).toMatchObject({
      event_type: 'stock.changed',
      correlation_id: 'order-1',
      source: 'orders',
      payload: {
        items: [
          { item_id: 'cola', stock: 40, version: 3 },
          { item_id: 'margherita', stock: 7, version: 12 },
        ],
        at: '2026-01-01T12:00:00.000Z',
      },
    });
  });

  test('shows stock as the menu does (never below 0), and nothing is emitted for no items', () => {
    const [event] = stockChanged([{ _id: 'funghi', stock: -2, stock_version: 5 }], origin);
    expect(event!.payload.items).toEqual([{ item_id: 'funghi', stock: 0, version: 5 }]);
    expect(stockChanged([], origin)).toEqual([]);
  });
});
