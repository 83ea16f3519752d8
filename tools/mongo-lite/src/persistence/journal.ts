// Durability for --dbpath: an append-only journal of committed changes (length-prefixed BSON records).
// Every commit is written to the file (write(2)) before its reply is sent, so an acknowledged write
// survives the process being killed; the file is fsync'ed at most a second later and on a clean stop,
// so an OS crash or power loss can lose the last second. At start the journal is replayed (a torn
// record at the tail is dropped) and rewritten compactly as one snapshot of the current data.
import fs from 'node:fs';
import path from 'node:path';
import { canonical, decode, encode, type Doc } from '../bson';
import type { Engine, JournalSink, JournalWrite } from '../engine/engine';
import { IndexDef, type IndexSpec } from '../engine/index-def';

const FILE = 'journal.bson';
const FSYNC_INTERVAL_MS = 1000;
const DOCS_PER_SNAPSHOT_RECORD = 500;

function splitNs(ns: string): [string, string] {
  const dot = ns.indexOf('.');
  return [ns.slice(0, dot), ns.slice(dot + 1)];
}

function applyDdl(engine: Engine, e: Doc): void {
  const db = String(e.db);
  const coll = typeof e.coll === 'string' ? e.coll : '';
  switch (e.op) {
    case 'create':
      if (!engine.collection(db, coll))
        engine.createCollection(db, coll, (e.options as Doc | undefined) ?? {});
      break;
    case 'drop':
      engine.dropCollection(db, coll);
      break;
    case 'dropDatabase':
      engine.dropDatabase(db);
      break;
    case 'createIndex': {
      const spec = e.spec as IndexSpec;
      engine.ensureCollection(db, coll).indexes.set(spec.name, new IndexDef(spec));
      break;
    }
    case 'dropIndex':
      engine.collection(db, coll)?.indexes.delete(String(e.name));
      break;
    default:
      break;
  }
}

/** Applies journal records to an empty engine; returns how many bytes were valid. */
export function replay(buf: Buffer, engine: Engine): number {
  let offset = 0;
  while (offset + 4 <= buf.length) {
    const size = buf.readInt32LE(offset);
    if (size < 5 || offset + size > buf.length) break;
    let rec: Doc;
    try {
      rec = decode(buf.subarray(offset, offset + size));
    } catch {
      break;
    }
    if (rec.ddl) applyDdl(engine, rec.ddl as Doc);
    if (Array.isArray(rec.w)) {
      const ts = typeof rec.t === 'number' ? rec.t : 0;
      for (const op of rec.w as Doc[]) {
        const [db, name] = splitNs(String(op.ns));
        const coll = engine.ensureCollection(db, name);
        const key = canonical(op.id);
        if (op.d) coll.versions.set(key, { doc: op.d as Doc, ts, prev: undefined });
        else coll.versions.delete(key);
      }
      engine.clock = Math.max(engine.clock, ts);
    }
    offset += size;
  }
  for (const colls of engine.dbs.values()) {
    for (const coll of colls.values()) {
      for (const ix of coll.indexes.values()) {
        ix.entries.clear();
        for (const [key, v] of coll.versions) if (v.doc) ix.add(v.doc, key);
      }
    }
  }
  return offset;
}

function snapshotRecords(engine: Engine): Buffer[] {
  const out: Buffer[] = [];
  for (const [db, colls] of engine.dbs) {
    for (const coll of colls.values()) {
      out.push(encode({ ddl: { op: 'create', db, coll: coll.name, options: coll.options } }));
      for (const ix of coll.indexes.values())
        out.push(encode({ ddl: { op: 'createIndex', db, coll: coll.name, spec: { ...ix.spec } } }));
      let batch: Doc[] = [];
      for (const v of coll.versions.values()) {
        if (!v.doc) continue;
        batch.push({ ns: coll.ns, id: v.doc._id, d: v.doc });
        if (batch.length === DOCS_PER_SNAPSHOT_RECORD) {
          out.push(encode({ t: engine.clock, w: batch }));
          batch = [];
        }
      }
      if (batch.length) out.push(encode({ t: engine.clock, w: batch }));
    }
  }
  return out;
}

export class Journal implements JournalSink {
  private dirty = false;
  private syncing: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  private constructor(private readonly fd: number) {
    this.timer = setInterval(() => this.syncSoon(), FSYNC_INTERVAL_MS);
    this.timer.unref();
  }

  /** Loads the data under `dir` into the engine, compacts the journal and starts appending to it. */
  static open(dir: string, engine: Engine): Journal {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, FILE);
    if (fs.existsSync(file)) replay(fs.readFileSync(file), engine);
    const tmp = `${file}.tmp`;
    const out = fs.openSync(tmp, 'w');
    for (const rec of snapshotRecords(engine)) fs.writeSync(out, rec);
    fs.fsyncSync(out);
    fs.closeSync(out);
    fs.renameSync(tmp, file);
    const dirFd = fs.openSync(dir, 'r');
    fs.fsyncSync(dirFd);
    fs.closeSync(dirFd);
    return new Journal(fs.openSync(file, 'a'));
  }

  private append(buf: Buffer): void {
    if (this.closed) throw new Error('journal is closed');
    fs.writeSync(this.fd, buf);
    this.dirty = true;
  }

  writes(ts: number, ops: JournalWrite[]): void {
    this.append(encode({ t: ts, w: ops.map((o) => ({ ns: o.ns, id: o.id, d: o.doc })) }));
  }

  ddl(entry: Doc): void {
    this.append(encode({ ddl: entry }));
  }

  private syncSoon(): void {
    if (!this.dirty || this.syncing || this.closed) return;
    this.dirty = false;
    this.syncing = new Promise((resolve) => {
      fs.fsync(this.fd, () => {
        this.syncing = undefined;
        resolve();
      });
    });
  }

  /** Flushes everything to disk and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.syncing;
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
  }
}
