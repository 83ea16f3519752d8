// A collection: per-document version chains (newest first) stamped with the commit counter, the write
// locks held by open transactions, and its secondary indexes.
import { UUID } from 'bson';
import { canonical, isOperatorObject, isPlainObject, type Doc } from '../bson';
import type { IndexDef, IndexSpec } from './index-def';

export interface Version {
  /** null marks a deletion (tombstone). */
  readonly doc: Doc | null;
  readonly ts: number;
  prev: Version | undefined;
}

/** Whatever holds a document's write lock (an open transaction). */
export interface LockOwner {
  readonly id: number;
  /** The owner's uncommitted version of a document: a doc, null (deleted), or undefined (not written). */
  pendingDoc(coll: Collection, key: string): Doc | null | undefined;
}

export const ID_INDEX_SPEC: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

/** A scalar usable as an equality lookup key (not a regex, array, sub-document or operator object). */
function lookupScalar(v: unknown): boolean {
  if (v === undefined || Array.isArray(v) || v instanceof RegExp) return false;
  if (isPlainObject(v)) return false;
  return true;
}

function equalityValue(cond: unknown): { ok: boolean; value?: unknown } {
  if (isOperatorObject(cond)) {
    const ops = cond as Doc;
    const keys = Object.keys(ops);
    if (keys.length === 1 && keys[0] === '$eq' && lookupScalar(ops.$eq)) return { ok: true, value: ops.$eq };
    return { ok: false };
  }
  return lookupScalar(cond) ? { ok: true, value: cond } : { ok: false };
}

export class Collection {
  readonly versions = new Map<string, Version>();
  readonly locks = new Map<string, LockOwner>();
  readonly indexes = new Map<string, IndexDef>();
  readonly uuid = new UUID();

  constructor(
    readonly db: string,
    readonly name: string,
    readonly options: Doc = {},
  ) {}

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  head(key: string): Version | undefined {
    return this.versions.get(key);
  }

  visibleAt(key: string, ts: number): Doc | null {
    let v = this.versions.get(key);
    while (v && v.ts > ts) v = v.prev;
    return v ? v.doc : null;
  }

  latest(key: string): Doc | null {
    return this.versions.get(key)?.doc ?? null;
  }

  get uniqueIndexes(): IndexDef[] {
    const out: IndexDef[] = [];
    for (const ix of this.indexes.values()) if (ix.unique) out.push(ix);
    return out;
  }

  /**
   * Document keys that can match the filter, found through _id or an index by equality;
   * undefined when the filter needs a full scan. Callers still test every candidate against the filter.
   */
  candidateKeys(filter: Doc): Iterable<string> | undefined {
    if ('_id' in filter) {
      const cond = filter._id;
      const eq = equalityValue(cond);
      if (eq.ok) return [canonical(eq.value)];
      if (isPlainObject(cond) && Object.keys(cond).length === 1 && Array.isArray(cond.$in)) {
        const values = cond.$in as unknown[];
        if (values.every(lookupScalar)) return values.map(canonical);
      }
    }
    for (const ix of this.indexes.values()) {
      if (!ix.usableForLookup) continue;
      const values: unknown[] = [];
      for (const f of ix.fields) {
        if (!(f in filter)) break;
        const eq = equalityValue(filter[f]);
        if (!eq.ok) break;
        values.push(eq.value);
      }
      if (values.length !== ix.fields.length) continue;
      return ix.entries.get(ix.keyOfValues(values)) ?? [];
    }
    return undefined;
  }

  /** Adds the keys of a newly committed version to every index. */
  indexVersion(doc: Doc, key: string): void {
    for (const ix of this.indexes.values()) ix.add(doc, key);
  }

  /**
   * Drops versions no snapshot at or after minSnapshot can see. Returns true when the chain is down
   * to a single live version (or gone), i.e. nothing is left to prune later.
   */
  prune(key: string, minSnapshot: number): boolean {
    const head = this.versions.get(key);
    if (!head) return true;
    let keep: Version | undefined = head;
    while (keep && keep.ts > minSnapshot) keep = keep.prev;
    if (!keep) return false;
    let dropped = keep.prev;
    keep.prev = undefined;
    const removeHead = keep === head && head.doc === null;
    if (removeHead) this.versions.delete(key);
    if (this.indexes.size) {
      const retained: Doc[] = [];
      for (let v: Version | undefined = removeHead ? undefined : head; v; v = v.prev)
        if (v.doc) retained.push(v.doc);
      const gone: Doc[] = [];
      for (; dropped; dropped = dropped.prev) if (dropped.doc) gone.push(dropped.doc);
      for (const ix of this.indexes.values()) {
        const live = new Set<string>();
        for (const d of retained) {
          const k = ix.keyOf(d);
          if (k !== undefined) live.add(k);
        }
        for (const d of gone) {
          const k = ix.keyOf(d);
          if (k !== undefined && !live.has(k)) ix.remove(k, key);
        }
      }
    }
    return removeHead || (head.prev === undefined && head.doc !== null);
  }

  /** Number of live documents in the newest committed state. */
  count(): number {
    let n = 0;
    for (const v of this.versions.values()) if (v.doc) n++;
    return n;
  }

  indexSpecs(): IndexSpec[] {
    return [ID_INDEX_SPEC, ...[...this.indexes.values()].map((ix) => ix.spec)];
  }
}
