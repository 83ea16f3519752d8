// The one place that talks to mingo: filters, sort/skip/limit/projection, update operators and
// aggregation pipelines. mingo's loose types stay behind these functions.
//
// Speed: mingo's convenience entry points copy its whole operator registry on every call, which
// dominated the cost of a write. Filters are compiled against a small query-only context, and update
// operators are applied directly; the full registry is used only where expressions can appear
// ($expr, projections, pipelines, positional updates).
import { Context, Query, aggregate, find, ProcessingMode } from 'mingo';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as updateOperators from 'mingo/operators/update';
import { Query as BaseQuery } from 'mingo/query';
import { update as updaterUpdate, type Modifier } from 'mingo/updater';
import { canonical, cloneDoc, isPlainObject, type Doc } from '../bson';
import { MongoError, asMongoError } from '../errors';

const QUERY_CONTEXT = Context.init({ query: queryOperators, projection: projectionOperators });

type UpdateOperator = (expr: Doc, arrayFilters?: Doc[]) => (obj: Doc) => string[];
const UPDATE_OPERATORS = updateOperators as unknown as Record<string, UpdateOperator>;

export type Matcher = (doc: Doc) => boolean;

/** Whether any key of a (nested) filter is one of `names`. */
function mentions(value: unknown, names: ReadonlySet<string>): boolean {
  if (Array.isArray(value)) return value.some((v) => mentions(v, names));
  if (!isPlainObject(value)) return false;
  for (const [k, v] of Object.entries(value)) if (names.has(k) || mentions(v, names)) return true;
  return false;
}

const NEEDS_EXPRESSIONS = new Set(['$expr', '$where', '$jsonSchema', '$function']);

function query(filter: Doc): Query | BaseQuery {
  return mentions(filter, NEEDS_EXPRESSIONS)
    ? new Query(filter, { scriptEnabled: false })
    : new BaseQuery(filter, { context: QUERY_CONTEXT, scriptEnabled: false });
}

export function compileFilter(filter: Doc): Matcher {
  if (Object.keys(filter).length === 0) return () => true;
  try {
    const q = query(filter);
    return (doc) => q.test(doc);
  } catch (err) {
    throw asMongoError(err);
  }
}

export interface FindShape {
  sort?: Doc;
  skip?: number;
  limit?: number;
  projection?: Doc;
}

function sortSpec(sort: Doc | undefined): Record<string, 1 | -1> | undefined {
  if (!sort) return undefined;
  const out: Record<string, 1 | -1> = {};
  for (const [k, v] of Object.entries(sort)) {
    if (k.startsWith('$')) continue;
    out[k] = v === -1 || v === '-1' || v === 'desc' || v === 'descending' ? -1 : 1;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Filters, sorts, pages and projects documents like find does. */
export function findDocs(docs: Doc[], filter: Doc, shape: FindShape): Doc[] {
  const projection = shape.projection && Object.keys(shape.projection).length ? shape.projection : undefined;
  const sort = sortSpec(shape.sort);
  if (Object.keys(filter).length === 0 && !shape.skip && !shape.limit && !sort && !projection) return docs;
  try {
    const cursor = projection
      ? find(docs, filter, projection, { scriptEnabled: false })
      : query(filter).find<Doc>(docs);
    if (sort) cursor.sort(sort);
    if (shape.skip) cursor.skip(shape.skip);
    if (shape.limit) cursor.limit(shape.limit);
    return cursor.all() as Doc[];
  } catch (err) {
    throw asMongoError(err);
  }
}

export function sortDocs(docs: Doc[], sort: Doc | undefined): Doc[] {
  const spec = sortSpec(sort);
  if (!spec || docs.length < 2) return docs;
  return findDocs(docs, {}, { sort: spec });
}

export function projectDoc(doc: Doc, projection: Doc | undefined): Doc {
  if (!projection || Object.keys(projection).length === 0) return doc;
  return findDocs([doc], {}, { projection })[0] ?? doc;
}

// Stages that only read their input documents; anything else gets cloned input first.
const NON_MUTATING = new Set(['$match', '$sort', '$skip', '$limit', '$count', '$group', '$sortByCount']);

export function runPipeline(docs: Doc[], pipeline: Doc[], resolve: (coll: string) => Doc[]): Doc[] {
  for (const stage of pipeline) {
    const op = Object.keys(stage)[0] ?? '';
    if (op === '$out' || op === '$merge')
      throw new MongoError('BadValue', `${op} is not supported by this server`);
  }
  const readOnly = pipeline.every((s) => NON_MUTATING.has(Object.keys(s)[0] ?? ''));
  try {
    return aggregate(docs, pipeline, {
      processingMode: readOnly ? ProcessingMode.CLONE_OFF : ProcessingMode.CLONE_INPUT,
      scriptEnabled: false,
      collectionResolver: (name: string) => resolve(name).map(cloneDoc),
    }) as Doc[];
  } catch (err) {
    throw asMongoError(err);
  }
}

function isOperatorUpdate(u: Doc): boolean {
  const keys = Object.keys(u);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}

export interface UpdateOptions {
  arrayFilters?: Doc[];
  /** The statement's filter, needed by the positional `$` operator. */
  filter?: Doc;
  /** True when the update builds an upserted document ($setOnInsert applies). */
  inserting: boolean;
}

function immutableId(): MongoError {
  return new MongoError(
    'ImmutableField',
    "Performing an update on the path '_id' would modify the immutable field '_id'",
  );
}

/** mongod refuses an update whose operators touch the same path, or a path and its prefix. */
function checkConflicts(mods: Doc): void {
  const paths: string[] = [];
  for (const expr of Object.values(mods)) if (isPlainObject(expr)) paths.push(...Object.keys(expr));
  for (const [op, expr] of Object.entries(mods)) {
    if (op === '$rename' && isPlainObject(expr)) paths.push(...Object.values(expr).map(String));
  }
  const sorted = [...paths].sort();
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1] as string;
    const cur = sorted[i] as string;
    if (cur === prev || cur.startsWith(prev + '.')) {
      throw new MongoError(
        'ConflictingUpdateOperators',
        `Updating the path '${cur}' would create a conflict at '${prev}'`,
      );
    }
  }
}

function applyOperators(doc: Doc, mods: Doc, opts: UpdateOptions): void {
  checkConflicts(mods);
  const positional = Object.values(mods).some(
    (m) => isPlainObject(m) && Object.keys(m).some((p) => /\.\$(\.|$)/.test(p)),
  );
  if (positional) {
    updaterUpdate(doc, mods as Modifier<Doc>, opts.arrayFilters, opts.filter, {
      cloneMode: 'copy',
      queryOptions: { context: QUERY_CONTEXT },
    });
    return;
  }
  const appliers: ((obj: Doc) => string[])[] = [];
  for (const [op, expr] of Object.entries(mods)) {
    const fn = UPDATE_OPERATORS[op];
    if (!fn || !op.startsWith('$'))
      throw new MongoError(
        'FailedToParse',
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    if (!isPlainObject(expr))
      throw new MongoError(
        'FailedToParse',
        `Modifiers operate on fields but we found type ${typeof expr} instead.`,
      );
    appliers.push(fn(expr, opts.arrayFilters ?? []));
  }
  for (const apply of appliers) apply(doc);
}

/** Returns the updated copy of `doc` (never mutates it). Handles operator, replacement and pipeline updates. */
export function applyUpdate(doc: Doc, u: Doc | Doc[], opts: UpdateOptions): Doc {
  let out: Doc;
  if (Array.isArray(u)) {
    out = runPipeline([doc], u, () => [])[0] ?? {};
  } else if (isOperatorUpdate(u)) {
    const mods: Doc = { ...u };
    const onInsert = mods.$setOnInsert;
    delete mods.$setOnInsert;
    if (opts.inserting && isPlainObject(onInsert)) {
      mods.$set = { ...(isPlainObject(mods.$set) ? mods.$set : {}), ...onInsert };
    }
    out = cloneDoc(doc);
    try {
      applyOperators(out, mods, opts);
    } catch (err) {
      throw asMongoError(err);
    }
  } else {
    if ('_id' in u && '_id' in doc && canonical(u._id) !== canonical(doc._id)) throw immutableId();
    out = '_id' in doc ? { _id: doc._id, ...u } : { ...u };
  }
  if ('_id' in doc && canonical(out._id) !== canonical(doc._id)) throw immutableId();
  return out;
}
