// findAndModify: one document, found (optionally sorted), then updated, upserted or removed atomically.
import type { Doc } from '../bson';
import { MongoError } from '../errors';
import { projectDoc } from '../query/mingo';
import { collectionName, optDoc, type Handler } from './context';
import { runStatement } from './statement';
import { deleteDoc, matching, updateDoc, upsertDoc } from './write-ops';

export const findAndModify: Handler = async (ctx) => {
  const cmd = ctx.cmd;
  const filter = optDoc(cmd.query) ?? {};
  const sort = optDoc(cmd.sort);
  const fields = optDoc(cmd.fields);
  const remove = cmd.remove === true;
  const u = cmd.update as Doc | Doc[] | undefined;
  const returnNew = cmd.new === true;
  if (!remove && u === undefined)
    throw new MongoError('FailedToParse', 'Either an update or remove=true must be specified');
  if (remove && (u !== undefined || cmd.upsert)) {
    throw new MongoError('FailedToParse', 'Cannot specify both an update and remove=true');
  }
  const engine = ctx.state.engine;
  const name = collectionName(ctx);
  const opts = { arrayFilters: cmd.arrayFilters as Doc[] | undefined, filter, inserting: false };

  const { value, lastErrorObject } = await runStatement(ctx, (unit) => {
    const coll = cmd.upsert ? engine.ensureCollection(ctx.db, name) : engine.collection(ctx.db, name);
    const target = coll ? matching(unit, coll, filter, 1, sort)[0] : undefined;
    if (!coll) return { value: null, lastErrorObject: { n: 0, updatedExisting: false } as Doc };
    if (remove) {
      if (target) deleteDoc(unit, coll, target);
      return { value: target?.doc ?? null, lastErrorObject: { n: target ? 1 : 0 } as Doc };
    }
    const update = u as Doc | Doc[];
    if (target) {
      const res = updateDoc(unit, coll, target, update, opts);
      return {
        value: returnNew ? res.doc : target.doc,
        lastErrorObject: { n: 1, updatedExisting: true } as Doc,
      };
    }
    if (cmd.upsert) {
      const doc = upsertDoc(unit, coll, filter, update, opts);
      return {
        value: returnNew ? doc : null,
        lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id } as Doc,
      };
    }
    return { value: null, lastErrorObject: { n: 0, updatedExisting: false } as Doc };
  });
  return { lastErrorObject, value: value ? projectDoc(value, fields) : null, ok: 1 };
};
