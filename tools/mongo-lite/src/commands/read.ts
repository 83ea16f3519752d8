// find, getMore, killCursors, aggregate, count and distinct. Reads see the transaction's snapshot (plus
// its own writes) inside a transaction, otherwise the newest committed data.
import { canonical, getPath, long, toNumber, type Doc } from '../bson';
import { MongoError } from '../errors';
import type { Txn } from '../engine/txn';
import { compileFilter, findDocs, runPipeline } from '../query/mingo';
import { collectionName, optDoc, optNumber, type CommandContext, type Handler } from './context';

function view(ctx: CommandContext): Txn {
  return ctx.txn ?? ctx.state.engine.begin(true);
}

/**
 * Documents of a collection matching `filter`, stopping after `max` (empty if the collection does not
 * exist). Index and _id lookups narrow the candidates; every candidate is tested against the filter.
 */
function matches(ctx: CommandContext, name: string, filter: Doc, max = Infinity): Doc[] {
  const coll = ctx.state.engine.collection(ctx.db, name);
  if (!coll) return [];
  const test = compileFilter(filter);
  const out: Doc[] = [];
  if (max <= 0) return out;
  for (const { doc } of view(ctx).scan(coll, filter)) {
    if (!test(doc)) continue;
    out.push(doc);
    if (out.length >= max) break;
  }
  return out;
}

function cursorReply(
  ctx: CommandContext,
  ns: string,
  docs: Doc[],
  batchSize: number | undefined,
  singleBatch: boolean,
): Doc {
  const batch = ctx.state.cursors.open(ns, docs, batchSize, singleBatch);
  return { cursor: { firstBatch: batch.docs, id: long(batch.id), ns }, ok: 1 };
}

export const find: Handler = (ctx) => {
  const name = collectionName(ctx);
  const cmd = ctx.cmd;
  const filter = optDoc(cmd.filter) ?? {};
  let limit = optNumber(cmd.limit) ?? 0;
  let singleBatch = cmd.singleBatch === true;
  if (limit < 0) {
    limit = -limit;
    singleBatch = true;
  }
  const sort = optDoc(cmd.sort);
  const skip = optNumber(cmd.skip) ?? 0;
  const sorted = !!sort && Object.keys(sort).some((k) => !k.startsWith('$'));
  // Without a sort, the first skip+limit matches in natural order are all that is needed.
  const found = matches(ctx, name, filter, !sorted && limit ? skip + limit : Infinity);
  const docs = findDocs(found, {}, { sort, skip, limit, projection: optDoc(cmd.projection) });
  return cursorReply(ctx, `${ctx.db}.${name}`, docs, optNumber(cmd.batchSize), singleBatch);
};

export const getMore: Handler = (ctx) => {
  const id = toNumber(ctx.cmd.getMore);
  const coll = typeof ctx.cmd.collection === 'string' ? ctx.cmd.collection : '';
  const ns = `${ctx.db}.${coll}`;
  const batch = ctx.state.cursors.getMore(id, ns, optNumber(ctx.cmd.batchSize));
  return { cursor: { nextBatch: batch.docs, id: long(batch.id), ns }, ok: 1 };
};

export const killCursors: Handler = (ctx) => {
  const ids = Array.isArray(ctx.cmd.cursors) ? ctx.cmd.cursors.map((c) => toNumber(c)) : [];
  const { killed, notFound } = ctx.state.cursors.kill(ids);
  return {
    cursorsKilled: killed.map(long),
    cursorsNotFound: notFound.map(long),
    cursorsAlive: [],
    cursorsUnknown: [],
    ok: 1,
  };
};

export const aggregate: Handler = (ctx) => {
  const pipeline = ctx.cmd.pipeline;
  if (!Array.isArray(pipeline))
    throw new MongoError('FailedToParse', "'pipeline' option must be specified as an array");
  const cursorOpt = optDoc(ctx.cmd.cursor);
  if (!cursorOpt && ctx.cmd.explain !== true)
    throw new MongoError('FailedToParse', "The 'cursor' option is required");
  if (ctx.cmd.explain) throw new MongoError('BadValue', 'explain is not supported by this server');
  const name = collectionName(ctx);
  const stages = pipeline as Doc[];
  const first = stages[0];
  const prefilter = first && optDoc(first.$match) ? (first.$match as Doc) : {};
  const input = name ? matches(ctx, name, prefilter) : [];
  const out = runPipeline(input, stages, (other) => matches(ctx, other, {}));
  const ns = name ? `${ctx.db}.${name}` : `${ctx.db}.$cmd.aggregate`;
  return cursorReply(ctx, ns, out, optNumber(cursorOpt?.batchSize), false);
};

export const count: Handler = (ctx) => {
  let n = matches(ctx, collectionName(ctx), optDoc(ctx.cmd.query) ?? {}).length;
  const skip = optNumber(ctx.cmd.skip) ?? 0;
  const limit = Math.abs(optNumber(ctx.cmd.limit) ?? 0);
  n = Math.max(0, n - skip);
  if (limit) n = Math.min(n, limit);
  return { n, ok: 1 };
};

export const distinct: Handler = (ctx) => {
  const key = ctx.cmd.key;
  if (typeof key !== 'string')
    throw new MongoError('FailedToParse', "BSON field 'distinct.key' is missing but a required field");
  const seen = new Map<string, unknown>();
  for (const doc of matches(ctx, collectionName(ctx), optDoc(ctx.cmd.query) ?? {})) {
    const v = getPath(doc, key);
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) {
      const k = canonical(item);
      if (!seen.has(k)) seen.set(k, item);
    }
  }
  return { values: [...seen.values()], ok: 1 };
};
