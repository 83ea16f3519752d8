import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** SHA-256 (hex) of a text's UTF-8 bytes: how a secret (a token, a key) is kept without being stored. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** A new tracking token: 128 random bits, base64url. */
export function newTrackingToken(): string {
  return randomBytes(16).toString('base64url');
}

/** Tracking tokens are stored and published only as their SHA-256 (hex); `token_hash` in order.created. */
export function hashTrackingToken(token: string): string {
  return sha256Hex(token);
}

const DUMMY_HASH = '0'.repeat(64);

/**
 * Constant-time check of a presented token against a stored hash. A missing hash is checked against a
 * dummy one so that a wrong id and a wrong token take the same path.
 */
export function trackingTokenMatches(presented: string, storedHash: string | undefined): boolean {
  const actual = createHash('sha256').update(presented, 'utf8').digest();
  const expected = Buffer.from(storedHash ?? DUMMY_HASH, 'hex');
  if (expected.length !== actual.length) return false;
  return timingSafeEqual(actual, expected) && storedHash !== undefined;
}

/** Constant-time equality of two secrets of any length (compares their hashes). */
export function secretEquals(presented: string, secret: string): boolean {
  return trackingTokenMatches(presented, sha256Hex(secret));
}
