import { metricValue } from '@pizza/shared/testing';
import { call, customer, type ErrorReply } from './support/http';
import { addItems, menuItem, stockOf, useStack } from './support/stack';

const stack = useStack();
const PIZZA = 'validation-pizza';
const line = (quantity: unknown = 1, item_id: unknown = PIZZA) => ({ item_id, quantity });
const order = (overrides: Record<string, unknown> = {}) => ({ items: [line()], customer, ...overrides });

beforeAll(async () => {
  await addItems(stack.db, menuItem(PIZZA, 50));
});

afterEach(async () => {
  // Whatever a rejected request was, it changed nothing.
  expect(await stockOf(stack.db, PIZZA)).toBe(50);
  expect(await stack.db.collection('orders').countDocuments()).toBe(0);
});

const cases: [string, unknown, string][] = [
  ['a body that is an array', [], '(body)'],
  ['no items', { customer }, 'items'],
  ['an empty item list', order({ items: [] }), 'items'],
  ['21 lines', order({ items: Array.from({ length: 21 }, (_, i) => line(1, `item-${i}`)) }), 'items'],
  ['a zero quantity', order({ items: [line(0)] }), 'items.0.quantity'],
  ['a quantity over 50', order({ items: [line(51)] }), 'items.0.quantity'],
  ['a fractional quantity', order({ items: [line(1.5)] }), 'items.0.quantity'],
  ['a quantity given as a string', order({ items: [line('2')] }), 'items.0.quantity'],
  ['a line with no item id', order({ items: [{ quantity: 1 }] }), 'items.0.item_id'],
  ['an empty item id', order({ items: [line(1, '')] }), 'items.0.item_id'],
  ['an item id of 65 characters', order({ items: [line(1, 'x'.repeat(65))] }), 'items.0.item_id'],
  [
    'an unknown item on the third line',
    order({ items: [line(1), line(1), line(1, 'no-such-pizza')] }),
    'items.2.item_id',
  ],
  ['duplicate lines adding up to more than 50', order({ items: [line(30), line(21)] }), 'items.0.quantity'],
  ['no customer', { items: [line()] }, 'customer'],
  ['a blank customer name', order({ customer: { name: '   ', address: customer.address } }), 'customer.name'],
  [
    'a name of 101 characters',
    order({ customer: { name: 'n'.repeat(101), address: customer.address } }),
    'customer.name',
  ],
  ['no address', order({ customer: { name: customer.name } }), 'customer.address'],
  [
    'an address of 301 characters',
    order({ customer: { name: customer.name, address: 'a'.repeat(301) } }),
    'customer.address',
  ],
  ['a name with a lone surrogate', order({ customer: { ...customer, name: 'Ada \uD800' } }), 'customer.name'],
  ['a name holding NUL', order({ customer: { ...customer, name: 'A\u0000da' } }), 'customer.name'],
  [
    'a name with a right-to-left override',
    order({ customer: { ...customer, name: 'Ada\u202Egpj' } }),
    'customer.name',
  ],
  [
    'a name of zero-width spaces only',
    order({ customer: { ...customer, name: '\u200B\u200B' } }),
    'customer.name',
  ],
  [
    'an address with a bidi isolate',
    order({ customer: { ...customer, address: '1 Loop\u2066 Lane' } }),
    'customer.address',
  ],
  [
    'an address of invisible characters only',
    order({ customer: { ...customer, address: '\u2060\uFEFF\u00AD' } }),
    'customer.address',
  ],
  ['an unknown top-level field', order({ coupon: 'FREE' }), 'coupon'],
  ['an unknown customer field', order({ customer: { ...customer, phone: '555' } }), 'customer.phone'],
  ['an unknown line field', order({ items: [{ ...line(), price: 1 }] }), 'items.0.price'],
  ['a total sent by the client', order({ total: 1 }), 'total'],
];

describe('an invalid order is a 400 naming the field, and nothing changes', () => {
  test.each(cases)('%s', async (_name, body, path) => {
    const res = await call<ErrorReply>(stack.url, 'POST', '/api/v1/orders', { json: body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_error');
    const details = res.body.error.details as { path: string; message: string }[];
    expect(details.map((d) => d.path)).toContain(path);
    expect(details.every((d) => typeof d.message === 'string' && d.message.length > 0)).toBe(true);
  });

  test('malformed JSON is a 400 validation_error', async () => {
    const res = await call<ErrorReply>(stack.url, 'POST', '/api/v1/orders', {
      body: '{"items": [',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_error');
  });

  test('rejections are counted as validation', async () => {
    const before = await metricValue(stack.url, 'orders_rejected_total', { reason: 'validation' });
    await call(stack.url, 'POST', '/api/v1/orders', { json: {} });
    expect(await metricValue(stack.url, 'orders_rejected_total', { reason: 'validation' })).toBe(before + 1);
  });
});

describe('body format', () => {
  test('a body that is not JSON is a 415', async () => {
    const res = await call<ErrorReply>(stack.url, 'POST', '/api/v1/orders', {
      body: 'items=1',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });

  test('a body over 16 kB is a 413', async () => {
    const res = await call<ErrorReply>(stack.url, 'POST', '/api/v1/orders', {
      json: order({ customer: { name: 'n', address: 'a'.repeat(17_000) } }),
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  test('errors carry no stack trace', async () => {
    const res = await call(stack.url, 'POST', '/api/v1/orders', {
      body: '{',
      headers: { 'content-type': 'application/json' },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/\bat .+\.(ts|js):\d+/);
  });
});
