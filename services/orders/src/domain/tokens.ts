import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Tracking tokens: 128 random bits, base64url. Only their SHA-256 is ever stored. */

export function newTrackingToken(): string {
  return randomBytes(16).toString('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export const hashToken = sha256Hex;

/**
 * Constant-time check of a presented token against a stored hash. A missing order is checked against a
 * dummy hash so that a wrong id and a wrong token take the same path.
 */
export function tokenMatches(presented: string, storedHash: string | undefined): boolean {
  const actual = createHash('sha256').update(presented, 'utf8').digest();
  const expected = Buffer.from(storedHash ?? DUMMY_HASH, 'hex');
  if (expected.length !== actual.length) return false;
  return timingSafeEqual(actual, expected) && storedHash !== undefined;
}

const DUMMY_HASH = '0'.repeat(64);

/** Constant-time equality of two secrets of any length (compares their hashes). */
export function secretEquals(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}
