import {
  canonicalJson,
  isExpired,
  keyId,
  openToken,
  requestHash,
  sealToken,
} from '../src/domain/idempotency';
import { hashTrackingToken, newTrackingToken, trackingTokenMatches } from '@pizza/shared';

const body = { items: [{ item_id: 'cola', quantity: 2 }], customer: { name: 'Ada', address: '1 Main St' } };

describe('idempotency request hashing', () => {
  test('the same body with keys in another order hashes the same', () => {
    const reordered = {
      customer: { address: '1 Main St', name: 'Ada' },
      items: [{ quantity: 2, item_id: 'cola' }],
    };
    expect(requestHash(reordered)).toBe(requestHash(body));
    expect(canonicalJson(reordered)).toBe(canonicalJson(body));
  });

  test('any change of value, or of line order, changes the hash', () => {
    const more = { ...body, items: [{ item_id: 'cola', quantity: 3 }] };
    expect(requestHash(more)).not.toBe(requestHash(body));
    const two = {
      ...body,
      items: [
        { item_id: 'a', quantity: 1 },
        { item_id: 'b', quantity: 1 },
      ],
    };
    const swapped = {
      ...body,
      items: [
        { item_id: 'b', quantity: 1 },
        { item_id: 'a', quantity: 1 },
      ],
    };
    expect(requestHash(two)).not.toBe(requestHash(swapped));
  });

  test('the hash is sha256 hex, and the key is stored only as its hash', () => {
    expect(requestHash(body)).toMatch(/^[0-9a-f]{64}$/);
    expect(keyId('key-1')).toMatch(/^[0-9a-f]{64}$/);
    expect(keyId('key-1')).not.toContain('key-1');
  });

  test('a record is expired after 24 hours', () => {
    const created = new Date('2030-01-01T00:00:00Z');
    expect(isExpired(created, new Date('2030-01-01T23:59:59Z'))).toBe(false);
    expect(isExpired(created, new Date('2030-01-02T00:00:00Z'))).toBe(true);
  });
});

describe('sealed tracking tokens', () => {
  test('only the idempotency key that sealed a token opens it, and only for its order', () => {
    const token = newTrackingToken();
    const sealed = sealToken('key-1', 'order-1', token);
    expect(sealed).not.toContain(token);
    expect(openToken('key-1', 'order-1', sealed)).toBe(token);
    expect(openToken('key-2', 'order-1', sealed)).toBeUndefined();
    expect(openToken('key-1', 'order-2', sealed)).toBeUndefined();
    expect(openToken('key-1', 'order-1', 'garbage')).toBeUndefined();
  });
});

describe('tracking tokens', () => {
  test('a token has 128 random bits in base64url', () => {
    const token = newTrackingToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(16);
    expect(newTrackingToken()).not.toBe(token);
  });

  test('a token matches only its own hash, and nothing matches a missing order', () => {
    const token = newTrackingToken();
    expect(trackingTokenMatches(token, hashTrackingToken(token))).toBe(true);
    expect(trackingTokenMatches(`${token}x`, hashTrackingToken(token))).toBe(false);
    expect(trackingTokenMatches(token, undefined)).toBe(false);
    expect(trackingTokenMatches(token, 'not-hex')).toBe(false);
  });
});
