import type { Random } from './random';

/**
 * Order bodies that can never create an order: each is broken on purpose (syntax, type, a field out of its
 * schema, an unknown item, too big), so a 201 from the fuzzer is always a bug.
 */
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function validShape(
  r: Random,
  itemIds: readonly string[],
): { items: { item_id: string; quantity: number }[]; customer: { name: string; address: string } } {
  return {
    items: Array.from({ length: r.int(1, 3) }, () => ({ item_id: r.pick(itemIds), quantity: r.int(1, 3) })),
    customer: { name: 'Fuzz', address: '1 Fuzz Road' },
  };
}

const BAD_QUANTITIES: Json[] = [0, -1, 51, 1.5, '2', null, true, [], {}, 1e21, -0.0001];
const BAD_STRINGS = (r: Random): Json[] => ['', '   ', r.text(400), 42, null, [], { $gt: '' }];

/** One mutation that alone makes a valid body invalid. */
const MUTATIONS: ((body: Record<string, Json>, r: Random) => void)[] = [
  (b) => (b.items = []),
  (b, r) => (b.items = r.pick<Json>([null, 'margherita', 7, {}, true])),
  (b) => (b.items = Array.from({ length: 21 }, () => ({ item_id: 'margherita', quantity: 1 }))),
  (b, r) => ((b.items as { quantity: Json }[])[0]!.quantity = r.pick(BAD_QUANTITIES)),
  (b, r) =>
    ((b.items as { item_id: Json }[])[0]!.item_id = r.pick([
      ...BAD_STRINGS(r),
      `no-such-item-${r.int(0, 1e6)}`,
      'x'.repeat(65),
    ])),
  (b) => delete (b.items as Record<string, Json>[])[0]!.quantity,
  (b, r) =>
    ((b.items as Record<string, Json>[])[0]![r.pick(['price', 'unit_price', 'stock', 'constructor'])] = 0),
  (b, r) => (b.customer = r.pick<Json>([null, 'Ada', [], 5])),
  (b, r) => ((b.customer as Record<string, Json>).name = r.pick([...BAD_STRINGS(r), 'n'.repeat(101)])),
  (b, r) => ((b.customer as Record<string, Json>).address = r.pick([...BAD_STRINGS(r), 'a'.repeat(301)])),
  (b) => ((b.customer as Record<string, Json>).email = 'x@y'),
  (b) => delete b.customer,
  (b) => delete b.items,
  (b, r) =>
    (b[r.pick(['admin', 'total', 'status', 'constructor', 'id'])] = r.pick<Json>([true, 0, 'delivered', {}])),
  (b) => (b.items = JSON.parse(`${'['.repeat(40)}"deep"${']'.repeat(40)}`) as Json),
];

export function badOrderBody(r: Random, itemIds: readonly string[]): { kind: string; body: Buffer } {
  const shape = r.int(0, 9);
  if (shape === 0) {
    const valid = JSON.stringify(validShape(r, itemIds));
    return { kind: 'truncated json', body: Buffer.from(valid.slice(0, r.int(0, valid.length - 1))) };
  }
  if (shape === 1) return { kind: 'random bytes', body: r.bytes(r.int(1, 512)) };
  if (shape === 2)
    return {
      kind: 'not an object',
      body: Buffer.from(
        r.pick([
          'null',
          '[]',
          '1',
          '"order"',
          'true',
          'NaN',
          "{'a':1}",
          '{"items":[],}',
          '\ufeff{}',
          '{"__proto__":{"admin":true},"items":[],"customer":{"name":"a","address":"b"}}',
        ]),
      ),
    };
  if (shape === 3)
    return {
      kind: 'too large',
      body: Buffer.from(JSON.stringify({ ...validShape(r, itemIds), pad: 'p'.repeat(17 * 1024), items: [] })),
    };
  const body = validShape(r, itemIds) as unknown as Record<string, Json>;
  const count = r.int(1, 3);
  for (let i = 0; i < count; i++) {
    try {
      r.pick(MUTATIONS)(body, r);
    } catch {
      body.items = []; // a mutation that no longer applies (items already replaced) falls back to a certain break
    }
  }
  return { kind: 'schema violation', body: Buffer.from(JSON.stringify(body)) };
}
