// insert, update and delete commands (statements arrive in a document sequence or an array).
import type { Doc } from '../bson';
import { MongoError } from '../errors';
import { collectionName, optDoc, type CommandContext, type Handler } from './context';
import { runStatement, toWriteError } from './statement';
import { deleteDoc, insertDoc, matching, updateDoc, upsertDoc } from './write-ops';

function statements(ctx: CommandContext, field: string): Doc[] {
  const list = ctx.cmd[field];
  if (!Array.isArray(list))
    throw new MongoError('FailedToParse', `BSON field '${field}' is missing but a required field`);
  return list as Doc[];
}

function writeReply(n: number, writeErrors: Doc[], extra: Doc = {}): Doc {
  const reply: Doc = { n, ...extra };
  if (writeErrors.length) reply.writeErrors = writeErrors;
  reply.ok = 1;
  return reply;
}

export const insert: Handler = async (ctx) => {
  const docs = statements(ctx, 'documents');
  const ordered = ctx.cmd.ordered !== false;
  const coll = ctx.state.engine.ensureCollection(ctx.db, collectionName(ctx));
  const writeErrors: Doc[] = [];
  let n = 0;
  for (let i = 0; i < docs.length; i++) {
    try {
      await runStatement(ctx, (unit) => insertDoc(unit, coll, docs[i] as Doc));
      n++;
    } catch (err) {
      writeErrors.push(toWriteError(ctx, err, i));
      if (ordered || ctx.txn) break;
    }
  }
  return writeReply(n, writeErrors);
};

export const update: Handler = async (ctx) => {
  const specs = statements(ctx, 'updates');
  const ordered = ctx.cmd.ordered !== false;
  const engine = ctx.state.engine;
  const name = collectionName(ctx);
  const writeErrors: Doc[] = [];
  const upserted: Doc[] = [];
  let n = 0;
  let nModified = 0;
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i] as Doc;
    const filter = optDoc(spec.q) ?? {};
    const u = spec.u as Doc | Doc[];
    const opts = { arrayFilters: spec.arrayFilters as Doc[] | undefined, filter, inserting: false };
    try {
      const res = await runStatement(ctx, (unit) => {
        const coll = spec.upsert ? engine.ensureCollection(ctx.db, name) : engine.collection(ctx.db, name);
        const out = { n: 0, modified: 0, upsertedId: undefined as unknown };
        if (!coll) return out;
        const targets = matching(unit, coll, filter, spec.multi ? 0 : 1, optDoc(spec.sort));
        for (const t of targets) {
          out.n++;
          if (updateDoc(unit, coll, t, u, opts).modified) out.modified++;
        }
        if (targets.length === 0 && spec.upsert) {
          out.n = 1;
          out.upsertedId = upsertDoc(unit, coll, filter, u, opts)._id;
        }
        return out;
      });
      n += res.n;
      nModified += res.modified;
      if (res.upsertedId !== undefined) upserted.push({ index: i, _id: res.upsertedId });
    } catch (err) {
      writeErrors.push(toWriteError(ctx, err, i));
      if (ordered || ctx.txn) break;
    }
  }
  return writeReply(n, writeErrors, upserted.length ? { nModified, upserted } : { nModified });
};

export const remove: Handler = async (ctx) => {
  const specs = statements(ctx, 'deletes');
  const ordered = ctx.cmd.ordered !== false;
  const writeErrors: Doc[] = [];
  let n = 0;
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i] as Doc;
    try {
      n += await runStatement(ctx, (unit) => {
        const coll = ctx.state.engine.collection(ctx.db, collectionName(ctx));
        if (!coll) return 0;
        const targets = matching(unit, coll, optDoc(spec.q) ?? {}, spec.limit === 1 ? 1 : 0);
        for (const t of targets) deleteDoc(unit, coll, t);
        return targets.length;
      });
    } catch (err) {
      writeErrors.push(toWriteError(ctx, err, i));
      if (ordered || ctx.txn) break;
    }
  }
  return writeReply(n, writeErrors);
};
