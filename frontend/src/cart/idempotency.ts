/**
 * One Idempotency-Key per checkout attempt: the same request body keeps its key, so a double click or a
 * retry after a lost answer can never order twice; a changed cart or form is a new attempt with a new key.
 */
export interface CheckoutAttempt {
  readonly fingerprint: string;
  readonly key: string;
}

export function attemptFor(
  previous: CheckoutAttempt | null,
  requestBody: unknown,
  newKey: () => string = newIdempotencyKey,
): CheckoutAttempt {
  const fingerprint = JSON.stringify(requestBody);
  if (previous !== null && previous.fingerprint === fingerprint) return previous;
  return { fingerprint, key: newKey() };
}

/** A random UUID v4; `crypto.randomUUID` exists only in secure contexts, so plain http gets the fallback. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
