// A secondary index: key extraction, uniqueness metadata and a key → document-ids map used both for
// equality lookups and unique checks. The map holds the keys of every retained version of a document
// (not just the newest), so older snapshots can still use it; entries are removed when versions are pruned.
import { Query } from 'mingo';
import { canonical, getPath, isPlainObject, type Doc } from '../bson';

export interface IndexSpec {
  v: number;
  key: Doc;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  expireAfterSeconds?: number;
  partialFilterExpression?: Doc;
}

/** Values at a dotted path, descending into arrays of sub-documents; arrays mark the index multikey. */
function indexValue(doc: Doc, path: string): { value: unknown; array: boolean } {
  const value = getPath(doc, path);
  if (Array.isArray(value)) return { value, array: true };
  if (value !== undefined || !path.includes('.')) return { value, array: false };
  const parts = path.split('.');
  let cur: unknown[] = [doc];
  let array = false;
  for (const part of parts) {
    const next: unknown[] = [];
    for (const c of cur) {
      if (Array.isArray(c)) {
        array = true;
        for (const el of c) if (isPlainObject(el)) next.push(el[part]);
      } else if (isPlainObject(c)) {
        next.push(c[part]);
      }
    }
    cur = next.filter((x) => x !== undefined);
  }
  if (array) return { value: cur, array: true };
  return { value: cur[0], array: false };
}

export class IndexDef {
  readonly fields: string[];
  readonly unique: boolean;
  /** Set once an array value is indexed: equality lookups then fall back to a scan. */
  multikey = false;
  readonly entries = new Map<string, Set<string>>();
  private readonly partial: Query | undefined;

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    this.unique = spec.unique === true;
    this.partial = spec.partialFilterExpression ? new Query(spec.partialFilterExpression, {}) : undefined;
  }

  get name(): string {
    return this.spec.name;
  }

  /** Whether equality lookups on this index find every matching document. */
  get usableForLookup(): boolean {
    return (
      !this.multikey &&
      !this.spec.sparse &&
      !this.partial &&
      Object.values(this.spec.key).every((d) => d === 1 || d === -1)
    );
  }

  /** The index key of a document, or undefined when the document is not in the index (sparse/partial). */
  keyOf(doc: Doc): string | undefined {
    if (this.partial && !this.partial.test(doc)) return undefined;
    let allMissing = true;
    let key = '';
    for (let i = 0; i < this.fields.length; i++) {
      const { value, array } = indexValue(doc, this.fields[i] as string);
      if (array) this.multikey = true;
      if (value !== undefined) allMissing = false;
      key += (i ? '|' : '') + canonical(value);
    }
    if (allMissing && this.spec.sparse) return undefined;
    return key;
  }

  /** The key of a lookup from equality values in field order. */
  keyOfValues(values: unknown[]): string {
    return values.map(canonical).join('|');
  }

  keyValue(doc: Doc): Doc {
    const out: Doc = {};
    for (const f of this.fields) out[f] = indexValue(doc, f).value ?? null;
    return out;
  }

  add(doc: Doc, id: string): void {
    const key = this.keyOf(doc);
    if (key === undefined) return;
    let set = this.entries.get(key);
    if (!set) this.entries.set(key, (set = new Set()));
    set.add(id);
  }

  remove(key: string, id: string): void {
    const set = this.entries.get(key);
    if (!set) return;
    set.delete(id);
    if (set.size === 0) this.entries.delete(key);
  }

  describe(): Doc {
    const out: Doc = { v: this.spec.v, key: this.spec.key, name: this.spec.name };
    if (this.spec.unique) out.unique = true;
    if (this.spec.sparse) out.sparse = true;
    if (this.spec.expireAfterSeconds !== undefined) out.expireAfterSeconds = this.spec.expireAfterSeconds;
    if (this.spec.partialFilterExpression) out.partialFilterExpression = this.spec.partialFilterExpression;
    return out;
  }
}
