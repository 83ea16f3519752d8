// The storage engine: catalog of databases and collections, the global commit counter, commit/abort of
// transactions (MVCC: each commit installs new head versions stamped with one counter value), pruning of
// versions no open snapshot can see, and DDL. Everything here runs synchronously on one thread, so a
// commit is atomic with respect to every other command.
import type { Doc } from '../bson';
import { MongoError } from '../errors';
import { Collection } from './collection';
import { duplicateKey } from './dup-key';
import { IndexDef, type IndexSpec } from './index-def';
import { Txn } from './txn';

export interface JournalWrite {
  ns: string;
  id: unknown;
  doc: Doc | null;
}

/** Where committed changes go to be durable (the journal when --dbpath is given). */
export interface JournalSink {
  writes(ts: number, ops: JournalWrite[]): void;
  ddl(entry: Doc): void;
}

export class Engine {
  clock = 0;
  readonly dbs = new Map<string, Map<string, Collection>>();
  /** Open client transactions (statement-level ones never stay open across an await). */
  readonly active = new Set<Txn>();
  journal: JournalSink | undefined;
  private readonly gcQueue = new Map<Collection, Set<string>>();
  private lastGc = { min: -1, at: 0 };

  begin(autocommit: boolean): Txn {
    const txn = new Txn(this.clock, autocommit);
    if (!autocommit) this.active.add(txn);
    return txn;
  }

  commit(txn: Txn): void {
    if (txn.state !== 'active') throw new Error(`commit of a ${txn.state} transaction`);
    const touched: [Collection, string, Doc | null][] = [];
    const ops: JournalWrite[] = [];
    for (const [coll, writes] of txn.writes) {
      for (const [key, p] of writes) {
        if (p.doc === null && !coll.versions.has(key)) continue; // inserted then deleted
        touched.push([coll, key, p.doc]);
        ops.push({ ns: coll.ns, id: p.id, doc: p.doc });
      }
    }
    if (touched.length) {
      const ts = this.clock + 1;
      try {
        this.journal?.writes(ts, ops);
      } catch (err) {
        this.abort(txn);
        throw new MongoError('InternalError', `journal write failed: ${(err as Error).message}`);
      }
      this.clock = ts;
      for (const [coll, key, doc] of touched) {
        coll.versions.set(key, { doc, ts, prev: coll.versions.get(key) });
        if (doc) coll.indexVersion(doc, key);
      }
    }
    this.release(txn);
    this.active.delete(txn);
    txn.settle('committed');
    for (const [coll, key] of touched) this.queuePrune(coll, key);
  }

  abort(txn: Txn): void {
    if (txn.state !== 'active') return;
    this.release(txn);
    this.active.delete(txn);
    txn.settle('aborted');
  }

  private release(txn: Txn): void {
    for (const [coll, writes] of txn.writes) {
      for (const key of writes.keys()) if (coll.locks.get(key) === txn) coll.locks.delete(key);
    }
  }

  private minSnapshot(): number {
    let min = Infinity;
    for (const t of this.active) if (t.snapshot < min) min = t.snapshot;
    return min;
  }

  private queuePrune(coll: Collection, key: string): void {
    if (this.active.size === 0 && coll.prune(key, Infinity)) return;
    let set = this.gcQueue.get(coll);
    if (!set) this.gcQueue.set(coll, (set = new Set()));
    set.add(key);
  }

  /** Prunes queued version chains against the oldest open snapshot (run on a timer). */
  gc(): void {
    if (this.gcQueue.size === 0) return;
    const min = this.minSnapshot();
    // While one old transaction stays open the oldest snapshot does not move; rescan only now and then.
    const now = Date.now();
    if (min === this.lastGc.min && now - this.lastGc.at < 2000) return;
    this.lastGc = { min, at: now };
    for (const [coll, keys] of this.gcQueue) {
      for (const key of keys) if (coll.prune(key, min)) keys.delete(key);
      if (keys.size === 0) this.gcQueue.delete(coll);
    }
  }

  // ---- catalog ----

  collection(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  collections(db: string): Collection[] {
    return [...(this.dbs.get(db)?.values() ?? [])];
  }

  createCollection(db: string, name: string, options: Doc = {}): Collection {
    if (this.collection(db, name))
      throw new MongoError('NamespaceExists', `Collection ${db}.${name} already exists.`);
    if (!name || name.includes('$') || name.startsWith('system.')) {
      throw new MongoError('InvalidOptions', `Invalid collection name: ${name}`);
    }
    const coll = new Collection(db, name, options);
    let colls = this.dbs.get(db);
    if (!colls) this.dbs.set(db, (colls = new Map()));
    colls.set(name, coll);
    this.journal?.ddl({ op: 'create', db, coll: name, options });
    return coll;
  }

  /** The collection, created implicitly (as mongod does on first insert). */
  ensureCollection(db: string, name: string): Collection {
    return this.collection(db, name) ?? this.createCollection(db, name);
  }

  /** Open transactions that wrote to a dropped collection are aborted (mongod would make the drop wait). */
  private abortWritersOf(colls: Collection[]): void {
    for (const txn of [...this.active]) if (colls.some((c) => txn.writes.has(c))) this.abort(txn);
  }

  dropCollection(db: string, name: string): boolean {
    const coll = this.collection(db, name);
    if (!coll) return false;
    this.abortWritersOf([coll]);
    this.dbs.get(db)?.delete(name);
    if (this.dbs.get(db)?.size === 0) this.dbs.delete(db);
    this.gcQueue.delete(coll);
    this.journal?.ddl({ op: 'drop', db, coll: name });
    return true;
  }

  dropDatabase(db: string): void {
    const colls = this.collections(db);
    this.abortWritersOf(colls);
    for (const c of colls) this.gcQueue.delete(c);
    this.dbs.delete(db);
    this.journal?.ddl({ op: 'dropDatabase', db });
  }

  /** Builds an index over the committed data; returns false when an identical index already exists. */
  createIndex(coll: Collection, spec: IndexSpec): boolean {
    const byName = coll.indexes.get(spec.name);
    const sameKey = [...coll.indexes.values()].find(
      (ix) => JSON.stringify(ix.spec.key) === JSON.stringify(spec.key),
    );
    if (spec.name === '_id_' || JSON.stringify(spec.key) === '{"_id":1}') return false;
    if (byName || sameKey) {
      const existing = (byName ?? sameKey) as IndexDef;
      const same =
        JSON.stringify(existing.spec.key) === JSON.stringify(spec.key) &&
        existing.name === spec.name &&
        !!existing.spec.unique === !!spec.unique &&
        existing.spec.expireAfterSeconds === spec.expireAfterSeconds &&
        !!existing.spec.sparse === !!spec.sparse;
      if (same) return false;
      if (byName && JSON.stringify(byName.spec.key) !== JSON.stringify(spec.key)) {
        throw new MongoError(
          'IndexKeySpecsConflict',
          `An existing index has the same name as the requested index but different key: ${spec.name}`,
        );
      }
      throw new MongoError(
        'IndexOptionsConflict',
        `An equivalent index already exists with a different name or options: ${existing.name}`,
      );
    }
    const ix = new IndexDef(spec);
    const seen = new Map<string, string>();
    for (const [key, head] of coll.versions) {
      for (let v: typeof head | undefined = head; v; v = v.prev) if (v.doc) ix.add(v.doc, key);
      if (ix.unique && head.doc) {
        const k = ix.keyOf(head.doc);
        if (k === undefined) continue;
        if (seen.has(k)) {
          const err = duplicateKey(coll.ns, spec.name, spec.key, ix.keyValue(head.doc));
          throw new MongoError('DuplicateKey', `Index build failed: ${err.message}`, { extra: err.extra });
        }
        seen.set(k, key);
      }
    }
    coll.indexes.set(spec.name, ix);
    this.journal?.ddl({ op: 'createIndex', db: coll.db, coll: coll.name, spec: { ...spec } });
    return true;
  }

  dropIndex(coll: Collection, name: string): void {
    coll.indexes.delete(name);
    this.journal?.ddl({ op: 'dropIndex', db: coll.db, coll: coll.name, name });
  }
}
