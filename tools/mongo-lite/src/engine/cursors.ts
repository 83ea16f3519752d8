// Open cursors: results are materialised when the cursor opens (so a cursor sees one snapshot) and
// handed out in batches by getMore. Idle cursors time out after 10 minutes, as in mongod.
import { encodedSize, type Doc } from '../bson';
import { MongoError } from '../errors';

const MAX_BATCH_BYTES = 16 * 1024 * 1024;
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;
export const DEFAULT_FIRST_BATCH = 101;

interface OpenCursor {
  ns: string;
  docs: Doc[];
  pos: number;
  lastUsed: number;
}

export interface Batch {
  id: number;
  docs: Doc[];
}

export class CursorStore {
  private readonly cursors = new Map<number, OpenCursor>();

  private nextId(): number {
    let id = 0;
    while (id === 0 || this.cursors.has(id)) id = Math.floor(Math.random() * Number.MAX_SAFE_INTEGER);
    return id;
  }

  private take(c: OpenCursor, batchSize: number | undefined): Doc[] {
    const out: Doc[] = [];
    let bytes = 0;
    const max = batchSize && batchSize > 0 ? batchSize : Infinity;
    while (c.pos < c.docs.length && out.length < max) {
      const doc = c.docs[c.pos] as Doc;
      if (batchSize === undefined || max > 1000) {
        bytes += encodedSize(doc);
        if (bytes > MAX_BATCH_BYTES && out.length > 0) break;
      }
      out.push(doc);
      c.pos++;
    }
    return out;
  }

  /** First batch of a new result set; the rest stays behind a cursor id (0 when exhausted). */
  open(ns: string, docs: Doc[], batchSize: number | undefined, singleBatch: boolean): Batch {
    const c: OpenCursor = { ns, docs, pos: 0, lastUsed: Date.now() };
    const first = this.take(c, batchSize ?? DEFAULT_FIRST_BATCH);
    if (singleBatch || c.pos >= docs.length) return { id: 0, docs: first };
    const id = this.nextId();
    this.cursors.set(id, c);
    return { id, docs: first };
  }

  getMore(id: number, ns: string, batchSize: number | undefined): Batch {
    const c = this.cursors.get(id);
    if (!c) throw new MongoError('CursorNotFound', `cursor id ${id} not found`);
    if (c.ns !== ns)
      throw new MongoError(
        'Unauthorized',
        `Requested getMore on namespace '${ns}', but cursor belongs to '${c.ns}'`,
      );
    c.lastUsed = Date.now();
    const docs = this.take(c, batchSize);
    if (c.pos >= c.docs.length) {
      this.cursors.delete(id);
      return { id: 0, docs };
    }
    return { id, docs };
  }

  kill(ids: number[]): { killed: number[]; notFound: number[] } {
    const killed: number[] = [];
    const notFound: number[] = [];
    for (const id of ids) (this.cursors.delete(id) ? killed : notFound).push(id);
    return { killed, notFound };
  }

  sweep(now: number): void {
    for (const [id, c] of this.cursors) if (now - c.lastUsed > IDLE_TIMEOUT_MS) this.cursors.delete(id);
  }

  get size(): number {
    return this.cursors.size;
  }
}
