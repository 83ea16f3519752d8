import { hashToken, tokenMatches } from '../src/domain/tokens';

describe('tracking tokens', () => {
  test('are hashed as SHA-256 hex of their UTF-8 text, as order.created publishes them', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  test('match only their own hash, and never a missing one', () => {
    expect(tokenMatches('abc', hashToken('abc'))).toBe(true);
    expect(tokenMatches('abd', hashToken('abc'))).toBe(false);
    expect(tokenMatches('abc', undefined)).toBe(false);
  });
});
