import { createHash, timingSafeEqual } from 'node:crypto';

/** Whether `token` hashes to `tokenHash` (SHA-256 hex, as in order.created), compared in constant time. */
export function tokenMatches(token: string, tokenHash: string): boolean {
  const actual = createHash('sha256').update(token, 'utf8').digest();
  const expected = Buffer.from(tokenHash, 'hex');
  return expected.length === actual.length && timingSafeEqual(actual, expected);
}
