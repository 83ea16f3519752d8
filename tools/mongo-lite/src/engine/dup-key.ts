import { ObjectId } from 'bson';
import type { Doc } from '../bson';
import { MongoError } from '../errors';

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof ObjectId) return `ObjectId('${v.toHexString()}')`;
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** mongod's E11000 error, with keyPattern and keyValue as the driver exposes them. */
export function duplicateKey(ns: string, indexName: string, keyPattern: Doc, keyValue: Doc): MongoError {
  const shown = Object.entries(keyValue)
    .map(([k, v]) => `${k}: ${show(v)}`)
    .join(', ');
  return new MongoError(
    'DuplicateKey',
    `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: { ${shown} }`,
    {
      extra: { keyPattern, keyValue },
    },
  );
}
