import { zodDetails } from '../src';
import { CreateOrderRequest } from '../src/contract';

const orderWith = (customer: { name: string; address: string }) =>
  CreateOrderRequest.safeParse({ items: [{ item_id: 'margherita', quantity: 1 }], customer });

/** The field-level details a 400 would carry for this customer, or [] when it is accepted. */
function problems(name: string, address = '1 Loop Lane') {
  const parsed = orderWith({ name, address });
  return parsed.success ? [] : zodDetails(parsed.error);
}

describe('names and addresses are visible, well-formed text', () => {
  test.each([
    ['a lone high surrogate', 'Ada \uD800', /lone surrogate/],
    ['a lone low surrogate', '\uDC00Ada', /lone surrogate/],
    ['a high surrogate followed by a non-surrogate', 'A\uD83Dx', /lone surrogate/],
    ['NUL', 'A\u0000da', /control characters/],
    ['a tab', 'A\tda', /control characters/],
    ['a line break in a name', 'Ada\nLovelace', /control characters/],
    ['DEL', 'Ada\u007f', /control characters/],
    ['a C1 control (NEL)', 'Ada\u0085', /control characters/],
    ['a left-to-right embedding (U+202A)', '\u202AAda', /bidirectional/],
    ['a right-to-left override (U+202E)', 'Ada\u202Egpj', /bidirectional/],
    ['a left-to-right isolate (U+2066)', 'Ada\u2066x', /bidirectional/],
    ['a pop directional isolate (U+2069)', 'Ada\u2069', /bidirectional/],
    ['only a zero-width space', '\u200B', /visible characters/],
    ['only zero-width joiners, a BOM and spaces', '\u200D \u200C\uFEFF ', /visible characters/],
    ['only a soft hyphen and a word joiner', '\u00AD\u2060', /visible characters/],
    ['only a Hangul filler', '\u3164', /visible characters/],
  ])('a name with %s is refused, naming the field', (_what, name, message) => {
    const details = problems(name);
    expect(details).toHaveLength(1);
    expect(details[0]).toEqual({ path: 'customer.name', message: expect.stringMatching(message) });
  });

  test('the same rules hold for the address', () => {
    for (const address of ['1 Loop\u202E Lane', '\u200B\u200B', 'x\u0000y', '\uDFFF'])
      expect(problems('Ada', address).map((d) => d.path)).toEqual(['customer.address']);
  });

  test('an address may span lines; other text with accents, scripts and emoji passes', () => {
    expect(problems('Ada', '1 Loop Lane\r\nFlat 2\nLondon')).toEqual([]);
    for (const name of ['Zoë Ñúñez', 'محمد', '李小龍', 'Chef 👩‍🍳', 'Ada\u00A0Lovelace', 'O\u2019Brien'])
      expect(problems(name)).toEqual([]);
  });

  test('accepted text is trimmed as before', () => {
    const parsed = orderWith({ name: '  Ada  ', address: ' 1 Loop Lane ' });
    expect(parsed.success && parsed.data.customer).toEqual({ name: 'Ada', address: '1 Loop Lane' });
  });
});
