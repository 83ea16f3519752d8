import { createHash, timingSafeEqual } from 'node:crypto';

/** Tracking tokens are stored and published only as their SHA-256 (hex); `token_hash` in order.created. */
export function hashTrackingToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
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
