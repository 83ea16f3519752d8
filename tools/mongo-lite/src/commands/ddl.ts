// Databases, collections and indexes: create, drop, list.
import { canonical, long, type Doc } from '../bson';
import { MongoError } from '../errors';
import type { IndexSpec } from '../engine/index-def';
import { compileFilter } from '../query/mingo';
import { collectionName, optDoc, optNumber, type CommandContext, type Handler } from './context';

function notInTransaction(ctx: CommandContext, name: string): void {
  if (ctx.txn)
    throw new MongoError(
      'OperationNotSupportedInTransaction',
      `Cannot run '${name}' in a multi-document transaction.`,
    );
}

function cursorOf(ctx: CommandContext, ns: string, docs: Doc[]): Doc {
  const batch = ctx.state.cursors.open(ns, docs, optNumber(optDoc(ctx.cmd.cursor)?.batchSize), false);
  return { cursor: { firstBatch: batch.docs, id: long(batch.id), ns }, ok: 1 };
}

const COLLECTION_OPTIONS = [
  'capped',
  'size',
  'max',
  'validator',
  'validationLevel',
  'validationAction',
  'collation',
  'timeseries',
  'expireAfterSeconds',
  'clusteredIndex',
  'changeStreamPreAndPostImages',
  'storageEngine',
  'indexOptionDefaults',
];

export const create: Handler = (ctx) => {
  const options: Doc = {};
  for (const k of COLLECTION_OPTIONS) if (ctx.cmd[k] !== undefined) options[k] = ctx.cmd[k];
  if (ctx.cmd.viewOn !== undefined)
    throw new MongoError('BadValue', 'views are not supported by this server');
  // As mongod does since SERVER-60064: creating an existing collection with identical options succeeds.
  const existing = ctx.state.engine.collection(ctx.db, collectionName(ctx));
  if (existing && canonical(existing.options) === canonical(options)) return { ok: 1 };
  ctx.state.engine.createCollection(ctx.db, collectionName(ctx), options);
  return { ok: 1 };
};

export const drop: Handler = (ctx) => {
  notInTransaction(ctx, 'drop');
  const name = collectionName(ctx);
  const coll = ctx.state.engine.collection(ctx.db, name);
  const nIndexesWas = coll ? coll.indexes.size + 1 : 0;
  ctx.state.engine.dropCollection(ctx.db, name);
  return { nIndexesWas, ns: `${ctx.db}.${name}`, ok: 1 };
};

export const dropDatabase: Handler = (ctx) => {
  notInTransaction(ctx, 'dropDatabase');
  ctx.state.engine.dropDatabase(ctx.db);
  return { dropped: ctx.db, ok: 1 };
};

export const listCollections: Handler = (ctx) => {
  const filter = optDoc(ctx.cmd.filter) ?? {};
  const nameOnly = ctx.cmd.nameOnly === true;
  const test = compileFilter(filter);
  const docs: Doc[] = [];
  for (const c of ctx.state.engine.collections(ctx.db)) {
    const full: Doc = {
      name: c.name,
      type: 'collection',
      options: c.options,
      info: { readOnly: false, uuid: c.uuid },
      idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
    };
    if (!test(full)) continue;
    docs.push(nameOnly ? { name: c.name, type: 'collection' } : full);
  }
  return cursorOf(ctx, `${ctx.db}.$cmd.listCollections`, docs);
};

export const listDatabases: Handler = (ctx) => {
  const engine = ctx.state.engine;
  const test = compileFilter(optDoc(ctx.cmd.filter) ?? {});
  const databases: Doc[] = [];
  for (const name of [...engine.dbs.keys()].sort()) {
    let docs = 0;
    for (const c of engine.collections(name)) docs += c.count();
    const entry: Doc = ctx.cmd.nameOnly ? { name } : { name, sizeOnDisk: docs * 100, empty: docs === 0 };
    if (test(entry)) databases.push(entry);
  }
  return ctx.cmd.nameOnly ? { databases, ok: 1 } : { databases, totalSize: 0, totalSizeMb: 0, ok: 1 };
};

function defaultIndexName(key: Doc): string {
  return Object.entries(key)
    .map(([k, v]) => `${k}_${String(v)}`)
    .join('_');
}

function toSpec(raw: Doc): IndexSpec {
  const key = optDoc(raw.key);
  if (!key || Object.keys(key).length === 0)
    throw new MongoError('FailedToParse', 'Index key pattern must be a non-empty object');
  const spec: IndexSpec = {
    v: 2,
    key,
    name: typeof raw.name === 'string' ? raw.name : defaultIndexName(key),
  };
  if (raw.unique === true) spec.unique = true;
  if (raw.sparse === true) spec.sparse = true;
  const ttl = optNumber(raw.expireAfterSeconds);
  if (ttl !== undefined) spec.expireAfterSeconds = ttl;
  const partial = optDoc(raw.partialFilterExpression);
  if (partial) spec.partialFilterExpression = partial;
  return spec;
}

export const createIndexes: Handler = (ctx) => {
  notInTransaction(ctx, 'createIndexes');
  const raw = ctx.cmd.indexes;
  if (!Array.isArray(raw) || raw.length === 0)
    throw new MongoError('FailedToParse', 'Must specify at least one index to create');
  const specs = (raw as Doc[]).map(toSpec);
  const engine = ctx.state.engine;
  const existed = !!engine.collection(ctx.db, collectionName(ctx));
  const coll = engine.ensureCollection(ctx.db, collectionName(ctx));
  const before = coll.indexes.size + 1;
  let created = 0;
  for (const spec of specs) if (engine.createIndex(coll, spec)) created++;
  const reply: Doc = {
    numIndexesBefore: before,
    numIndexesAfter: coll.indexes.size + 1,
    createdCollectionAutomatically: !existed,
  };
  if (created === 0) reply.note = 'all indexes already exist';
  reply.ok = 1;
  return reply;
};

export const listIndexes: Handler = (ctx) => {
  const name = collectionName(ctx);
  const coll = ctx.state.engine.collection(ctx.db, name);
  if (!coll) throw new MongoError('NamespaceNotFound', `ns does not exist: ${ctx.db}.${name}`);
  const docs: Doc[] = [
    { v: 2, key: { _id: 1 }, name: '_id_' },
    ...[...coll.indexes.values()].map((ix) => ix.describe()),
  ];
  return cursorOf(ctx, `${ctx.db}.${name}`, docs);
};

export const dropIndexes: Handler = (ctx) => {
  notInTransaction(ctx, 'dropIndexes');
  const name = collectionName(ctx);
  const engine = ctx.state.engine;
  const coll = engine.collection(ctx.db, name);
  if (!coll) throw new MongoError('NamespaceNotFound', `ns not found ${ctx.db}.${name}`);
  const nIndexesWas = coll.indexes.size + 1;
  const which = ctx.cmd.index;
  let names: string[];
  if (which === '*') {
    names = [...coll.indexes.keys()];
  } else if (typeof which === 'string') {
    names = [which];
  } else if (Array.isArray(which)) {
    names = which.filter((x): x is string => typeof x === 'string');
  } else {
    const key = JSON.stringify(optDoc(which) ?? {});
    const found = [...coll.indexes.values()].find((ix) => JSON.stringify(ix.spec.key) === key);
    if (!found) throw new MongoError('IndexNotFound', `can't find index with key: ${key}`);
    names = [found.name];
  }
  for (const n of names) {
    if (n === '_id_') throw new MongoError('InvalidOptions', 'cannot drop _id index');
    if (!coll.indexes.has(n)) throw new MongoError('IndexNotFound', `index not found with name [${n}]`);
  }
  for (const n of names) engine.dropIndex(coll, n);
  return { nIndexesWas, ok: 1 };
};
