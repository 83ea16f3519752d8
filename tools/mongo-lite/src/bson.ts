// BSON values as this server holds them: documents decoded with promoted values (int32, double and
// safe-range int64 become JS numbers), so query/update code sees plain numbers.
import { BSON, Binary, Decimal128, Long, ObjectId, Timestamp } from 'bson';

export type Doc = Record<string, unknown>;

export function decode(buf: Uint8Array): Doc {
  return BSON.deserialize(buf, { promoteValues: true, promoteLongs: true, promoteBuffers: false }) as Doc;
}

export function encode(doc: Doc): Buffer {
  const bytes = BSON.serialize(doc, { ignoreUndefined: false, checkKeys: false });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function encodedSize(doc: Doc): number {
  return BSON.calculateObjectSize(doc);
}

export function isPlainObject(v: unknown): v is Doc {
  if (v === null || typeof v !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function isOperatorObject(v: unknown): boolean {
  if (!isPlainObject(v)) return false;
  const first = Object.keys(v)[0];
  return first !== undefined && first.startsWith('$');
}

/** A canonical string for a BSON value: equal values (in the MongoDB sense used by indexes) give equal strings. */
export function canonical(v: unknown): string {
  if (v === undefined || v === null) return 'N';
  switch (typeof v) {
    case 'number':
      return 'n' + (Object.is(v, -0) ? '0' : String(v));
    case 'string':
      return 's' + JSON.stringify(v);
    case 'boolean':
      return v ? 'b1' : 'b0';
    case 'bigint':
      return 'n' + v.toString();
    default:
      break;
  }
  if (v instanceof Date) return 'd' + v.getTime();
  if (v instanceof ObjectId) return 'o' + v.toHexString();
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  if (v instanceof Long) return 'n' + v.toString();
  if (v instanceof Decimal128) return 'm' + v.toString();
  if (v instanceof Binary) return 'x' + v.sub_type + ':' + v.toString('base64');
  if (v instanceof Timestamp) return 't' + v.toString();
  if (v instanceof RegExp) return 'r' + v.source + '/' + v.flags;
  if (isPlainObject(v)) {
    return (
      '{' +
      Object.keys(v)
        .map((k) => JSON.stringify(k) + ':' + canonical(v[k]))
        .join(',') +
      '}'
    );
  }
  return '?' + String(v);
}

/** Deep copy of plain objects and arrays; BSON value objects (ObjectId, Binary, ...) are immutable and shared. */
export function cloneDoc<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x: unknown) => cloneDoc(x)) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (isPlainObject(v)) {
    const out: Doc = {};
    for (const k of Object.keys(v)) out[k] = cloneDoc(v[k]);
    return out as T;
  }
  return v;
}

/** Value at a dotted path (no array traversal), or undefined. */
export function getPath(doc: Doc, path: string): unknown {
  if (!path.includes('.')) return doc[path];
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (Array.isArray(cur)) {
      const i = Number(part);
      cur = Number.isInteger(i) ? cur[i] : undefined;
    } else if (isPlainObject(cur)) {
      cur = cur[part];
    } else {
      return undefined;
    }
  }
  return cur;
}

export function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Doc = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i] as string;
    const next = cur[part];
    if (isPlainObject(next)) {
      cur = next;
    } else {
      const made: Doc = {};
      cur[part] = made;
      cur = made;
    }
  }
  cur[parts[parts.length - 1] as string] = value;
}

/** A value as an int64 for the wire (cursor ids, counters). */
export function long(n: number): Long {
  return Long.fromNumber(n);
}

export function toNumber(v: unknown, fallback = 0): number {
  if (typeof v === 'number') return v;
  if (v instanceof Long) return v.toNumber();
  if (typeof v === 'bigint') return Number(v);
  return fallback;
}
