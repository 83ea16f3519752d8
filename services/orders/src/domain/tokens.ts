import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Tracking tokens: 128 random bits, base64url. Only their SHA-256 is ever stored. */

export function newTrackingToken(): string {
  return randomBytes(16).toString('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Constant-time equality of two secrets of any length (compares their hashes). */
export function secretEquals(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}
