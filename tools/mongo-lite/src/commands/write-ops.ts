// The per-statement write logic shared by insert/update/delete and findAndModify.
import { canonical, type Doc } from '../bson';
import { MongoError } from '../errors';
import type { Collection } from '../engine/collection';
import type { Txn } from '../engine/txn';
import { applyUpdate, compileFilter, sortDocs, type UpdateOptions } from '../query/mingo';
import { seedFromFilter, withIdFirst } from '../query/upsert';

export interface Target {
  key: string;
  doc: Doc;
}

/** Documents matching the filter as this unit sees them, sorted when asked, at most `limit`. */
export function matching(unit: Txn, coll: Collection, filter: Doc, limit: number, sort?: Doc): Target[] {
  const test = compileFilter(filter);
  const found: Target[] = [];
  for (const c of unit.scan(coll, filter)) {
    if (!test(c.doc)) continue;
    found.push(c);
    if (!sort && limit && found.length >= limit) break;
  }
  if (!sort || found.length < 2) return found;
  const byDoc = new Map(found.map((t) => [t.doc, t]));
  const sorted = sortDocs(
    found.map((t) => t.doc),
    sort,
  ).map((d) => byDoc.get(d) as Target);
  return limit ? sorted.slice(0, limit) : sorted;
}

export function insertDoc(unit: Txn, coll: Collection, input: Doc): Doc {
  const doc = withIdFirst(input);
  const id = doc._id;
  if (Array.isArray(id) || id instanceof RegExp) {
    throw new MongoError(
      'InvalidIdField',
      `The '_id' value cannot be of type ${Array.isArray(id) ? 'array' : 'regex'}`,
    );
  }
  unit.put(coll, canonical(id), id, doc, null, true);
  return doc;
}

/** Writes the updated document when it differs; returns whether it did. */
export function updateDoc(
  unit: Txn,
  coll: Collection,
  target: Target,
  u: Doc | Doc[],
  opts: UpdateOptions,
): { doc: Doc; modified: boolean } {
  const next = applyUpdate(target.doc, u, opts);
  if (canonical(next) === canonical(target.doc)) return { doc: target.doc, modified: false };
  unit.put(coll, target.key, target.doc._id, next, target.doc, false);
  return { doc: next, modified: true };
}

export function upsertDoc(
  unit: Txn,
  coll: Collection,
  filter: Doc,
  u: Doc | Doc[],
  opts: UpdateOptions,
): Doc {
  const seed = seedFromFilter(filter);
  let doc: Doc;
  if (Array.isArray(u) || Object.keys(u).some((k) => k.startsWith('$'))) {
    doc = applyUpdate(seed, u, { ...opts, inserting: true });
  } else {
    if ('_id' in seed && '_id' in u && canonical(seed._id) !== canonical(u._id)) {
      throw new MongoError(
        'ImmutableField',
        "The _id field in the replacement does not match the query's _id",
      );
    }
    doc = { ...u };
    if ('_id' in seed && !('_id' in doc)) doc._id = seed._id;
  }
  return insertDoc(unit, coll, doc);
}

export function deleteDoc(unit: Txn, coll: Collection, target: Target): void {
  unit.put(coll, target.key, target.doc._id, null, target.doc, false);
}
