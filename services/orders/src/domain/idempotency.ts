import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { sha256Hex } from '@pizza/shared';

/**
 * Idempotency keys. The record stores only hashes and a sealed token:
 * - `keyId` = sha256(key): the record's id, so the raw key is never stored;
 * - `requestHash` = sha256(canonical JSON of the body): a replay must send the same body;
 * - the tracking token sealed with AES-256-GCM under a key derived (HKDF-SHA256) from the raw
 *   Idempotency-Key, so only a holder of that key can get the token back.
 */

export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
export const IDEMPOTENCY_KEY_MAX = 255;

/** What a request with an Idempotency-Key leaves behind (collection `idempotency_keys`). */
export interface IdempotencyRecord {
  /** sha256 (hex) of the Idempotency-Key. */
  _id: string;
  /** sha256 (hex) of the canonical request body. */
  request_hash: string;
  order_id: string;
  /** The tracking token sealed under a key derived from the Idempotency-Key. */
  sealed_token: string;
  created_at: Date;
}

/** An order request with an Idempotency-Key: the key, and the hash of the body it came with. */
export interface KeyedRequest {
  key: string;
  hash: string;
}

/** The record of a keyed request: hashes only, and the tracking token sealed under the key. */
export function idempotencyRecord(
  request: KeyedRequest,
  order: { id: string; token: string; now: Date },
): IdempotencyRecord {
  return {
    _id: keyId(request.key),
    request_hash: request.hash,
    order_id: order.id,
    sealed_token: sealToken(request.key, order.id, order.token),
    created_at: order.now,
  };
}

export function keyId(idempotencyKey: string): string {
  return sha256Hex(idempotencyKey);
}

/** JSON with object keys sorted at every level: equal values give equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function requestHash(body: unknown): string {
  return sha256Hex(canonicalJson(body));
}

/** Expired by age even if the TTL monitor (which runs about once a minute) has not removed it yet. */
export function isExpired(createdAt: Date, now: Date): boolean {
  return now.getTime() - createdAt.getTime() >= IDEMPOTENCY_TTL_SECONDS * 1000;
}

const INFO = Buffer.from('orders/idempotency/tracking-token/v1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

function sealingKey(idempotencyKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(idempotencyKey, 'utf8'), Buffer.alloc(0), INFO, 32));
}

/** base64url(iv | tag | ciphertext); the order id is bound in as associated data. */
export function sealToken(
  idempotencyKey: string,
  orderId: string,
  token: string,
  iv: Buffer = randomBytes(IV_BYTES),
): string {
  const cipher = createCipheriv('aes-256-gcm', sealingKey(idempotencyKey), iv);
  cipher.setAAD(Buffer.from(orderId, 'utf8'));
  const sealed = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

/** The token, or undefined if the key or the order id does not match what sealed it. */
export function openToken(idempotencyKey: string, orderId: string, sealed: string): string | undefined {
  const raw = Buffer.from(sealed, 'base64url');
  if (raw.length < IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(idempotencyKey), raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(orderId, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return undefined;
  }
}
