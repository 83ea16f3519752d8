// TTL indexes: a periodic sweep deletes documents whose indexed date is older than expireAfterSeconds.
// (mongod's TTL monitor runs every 60 s; this one runs every second.) Documents locked by an open
// transaction are left for a later sweep.
import type { Doc } from '../bson';
import { getPath } from '../bson';
import type { Engine } from './engine';
import { LockWait } from './txn';

function expired(value: unknown, cutoff: number): boolean {
  if (value instanceof Date) return value.getTime() < cutoff;
  if (Array.isArray(value)) {
    const dates = value.filter((v): v is Date => v instanceof Date).map((d) => d.getTime());
    return dates.length > 0 && Math.min(...dates) < cutoff;
  }
  return false;
}

export function sweepTtl(engine: Engine, now: number): number {
  let removed = 0;
  for (const colls of engine.dbs.values()) {
    for (const coll of colls.values()) {
      for (const ix of coll.indexes.values()) {
        const secs = ix.spec.expireAfterSeconds;
        if (secs === undefined || ix.fields.length !== 1) continue;
        const field = ix.fields[0] as string;
        const cutoff = now - secs * 1000;
        const doomed: [string, Doc][] = [];
        for (const [key, v] of coll.versions) {
          if (v.doc && !coll.locks.has(key) && expired(getPath(v.doc, field), cutoff))
            doomed.push([key, v.doc]);
        }
        if (doomed.length === 0) continue;
        const unit = engine.begin(true);
        for (const [key, doc] of doomed) {
          try {
            unit.put(coll, key, doc._id, null, doc, false);
            removed++;
          } catch (err) {
            if (!(err instanceof LockWait)) throw err;
          }
        }
        engine.commit(unit);
      }
    }
  }
  return removed;
}
