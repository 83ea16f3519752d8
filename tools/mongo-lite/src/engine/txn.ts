// A unit of writes read at one snapshot: either a client's multi-document transaction, or the short
// internal one each non-transactional write statement runs in (committed at the end of the statement).
// Write-write conflicts are detected when a document is written (first writer wins), as in mongod.
import type { Doc } from '../bson';
import { writeConflict } from '../errors';
import type { Collection, LockOwner, Version } from './collection';
import { duplicateKey } from './dup-key';

export interface Pending {
  /** The document's _id value (kept for the journal). */
  readonly id: unknown;
  readonly doc: Doc | null;
}

export interface KeyedDoc {
  key: string;
  doc: Doc;
}

/** Thrown to a non-transactional write that met a document locked by an open transaction: wait, then retry. */
export class LockWait extends Error {
  constructor(readonly owner: Txn) {
    super('document locked by an open transaction');
  }
}

let nextTxnId = 1;

function visible(v: Version | undefined, ts: number): Doc | null {
  while (v && v.ts > ts) v = v.prev;
  return v ? v.doc : null;
}

export class Txn implements LockOwner {
  readonly id = nextTxnId++;
  readonly writes = new Map<Collection, Map<string, Pending>>();
  readonly startedAt = Date.now();
  state: 'active' | 'committed' | 'aborted' = 'active';
  // Made only when a write waits on this transaction: most never meet a waiter.
  private donePromise: Promise<void> | undefined;
  private resolveDone: (() => void) | undefined;

  constructor(
    readonly snapshot: number,
    readonly autocommit: boolean,
  ) {}

  /** Settles once the transaction has committed or aborted. */
  get done(): Promise<void> {
    if (!this.donePromise) {
      this.donePromise =
        this.state === 'active'
          ? new Promise((resolve) => {
              this.resolveDone = resolve;
            })
          : Promise.resolve();
    }
    return this.donePromise;
  }

  /** Called by the engine once the transaction has committed or aborted. */
  settle(state: 'committed' | 'aborted'): void {
    this.state = state;
    this.resolveDone?.();
  }

  pendingDoc(coll: Collection, key: string): Doc | null | undefined {
    return this.writes.get(coll)?.get(key)?.doc;
  }

  get writeCount(): number {
    let n = 0;
    for (const m of this.writes.values()) n += m.size;
    return n;
  }

  read(coll: Collection, key: string): Doc | null {
    const p = this.writes.get(coll)?.get(key);
    if (p) return p.doc;
    return visible(coll.versions.get(key), this.snapshot);
  }

  /** Documents visible to this transaction that may match the filter (the caller applies the filter). */
  *scan(coll: Collection, filter: Doc): Generator<KeyedDoc> {
    const pend = this.writes.get(coll);
    const candidates = coll.candidateKeys(filter);
    if (candidates) {
      const seen = new Set<string>();
      for (const key of candidates) {
        if (seen.has(key)) continue;
        seen.add(key);
        const doc = this.read(coll, key);
        if (doc) yield { key, doc };
      }
      if (pend) for (const [key, p] of pend) if (p.doc && !seen.has(key)) yield { key, doc: p.doc };
      return;
    }
    for (const [key, v] of coll.versions) {
      const p = pend?.get(key);
      const doc = p ? p.doc : visible(v, this.snapshot);
      if (doc) yield { key, doc };
    }
    if (pend) for (const [key, p] of pend) if (p.doc && !coll.versions.has(key)) yield { key, doc: p.doc };
  }

  private conflict(owner: LockOwner): Error {
    return this.autocommit ? new LockWait(owner as Txn) : writeConflict();
  }

  /**
   * Records a write (doc null = delete). `before` is the version this transaction saw; `insert` makes
   * an existing document a duplicate-key error instead of an overwrite.
   */
  put(
    coll: Collection,
    key: string,
    id: unknown,
    doc: Doc | null,
    before: Doc | null,
    insert: boolean,
  ): void {
    const owner = coll.locks.get(key);
    if (owner && owner !== this) throw this.conflict(owner);
    let pend = this.writes.get(coll);
    const mine = pend?.get(key);
    if (!mine) {
      const head = coll.versions.get(key);
      if (head && head.ts > this.snapshot) throw writeConflict();
      if (insert && head?.doc) throw duplicateKey(coll.ns, '_id_', { _id: 1 }, { _id: id });
    } else if (insert && mine.doc) {
      throw duplicateKey(coll.ns, '_id_', { _id: 1 }, { _id: id });
    }
    if (doc) this.checkUnique(coll, key, doc, before);
    if (!pend) this.writes.set(coll, (pend = new Map()));
    pend.set(key, { id, doc });
    coll.locks.set(key, this);
  }

  private checkUnique(coll: Collection, key: string, doc: Doc, before: Doc | null): void {
    for (const ix of coll.uniqueIndexes) {
      const k = ix.keyOf(doc);
      if (k === undefined || (before && ix.keyOf(before) === k)) continue;
      const dup = () => duplicateKey(coll.ns, ix.name, ix.spec.key, ix.keyValue(doc));
      const pend = this.writes.get(coll);
      if (pend) {
        for (const [pk, p] of pend) if (pk !== key && p.doc && ix.keyOf(p.doc) === k) throw dup();
      }
      for (const other of ix.entries.get(k) ?? []) {
        if (other === key || pend?.has(other)) continue;
        const head = coll.versions.get(other);
        if (!head?.doc || ix.keyOf(head.doc) !== k) continue;
        const owner = coll.locks.get(other);
        if (owner && owner !== this) throw this.conflict(owner);
        if (head.ts > this.snapshot) throw writeConflict();
        throw dup();
      }
      for (const [lockedKey, owner] of coll.locks) {
        if (owner === this || lockedKey === key) continue;
        const theirs = owner.pendingDoc(coll, lockedKey);
        if (theirs && ix.keyOf(theirs) === k) throw this.conflict(owner);
      }
    }
  }
}
