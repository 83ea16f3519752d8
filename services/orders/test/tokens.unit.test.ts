import { hashTrackingToken, trackingTokenMatches } from '@pizza/shared';

describe('tracking tokens', () => {
  test('are hashed as SHA-256 hex of their UTF-8 text, as order.created publishes them', () => {
    expect(hashTrackingToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  test('match only their own hash, and never a missing one', () => {
    expect(trackingTokenMatches('abc', hashTrackingToken('abc'))).toBe(true);
    expect(trackingTokenMatches('abd', hashTrackingToken('abc'))).toBe(false);
    expect(trackingTokenMatches('abc', undefined)).toBe(false);
  });
});
