// The one place that talks to mingo: filters, sort/skip/limit/projection, update operators and
// aggregation pipelines. mingo's loose types stay behind these functions.
//
// Speed: mingo copies its operator registry for every query it is given plain options for, which
// dominated the cost of a write. Every query and pipeline here runs on options built once
// (mingo-options.ts): filters on a small query-only context, and the full registry only where
// expressions can appear ($expr, projections, pipelines). Update operators are applied directly.
import { Context, ProcessingMode } from 'mingo';
import { Aggregator } from 'mingo/aggregator';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as updateOperators from 'mingo/operators/update';
import * as windowOperators from 'mingo/operators/window';
import { Query } from 'mingo/query';
import { update as updaterUpdate, type Modifier } from 'mingo/updater';
import { canonical, cloneDoc, isPlainObject, type Doc } from '../bson';
import { MongoError, asMongoError } from '../errors';
import { prebuiltOptions } from './mingo-options';

const QUERY_CONTEXT = Context.init({ query: queryOperators, projection: projectionOperators });
const FULL_CONTEXT = Context.init({
  accumulator: accumulatorOperators,
  expression: expressionOperators,
  pipeline: pipelineOperators,
  projection: projectionOperators,
  query: queryOperators,
  window: windowOperators,
});

/** The collection resolver of the pipeline running now ($lookup, $unionWith); pipelines run synchronously. */
let resolveCollection: (name: string) => Doc[] = () => [];
const collectionResolver = (name: string): Doc[] => resolveCollection(name).map(cloneDoc);

const QUERY_OPTIONS = prebuiltOptions(QUERY_CONTEXT, { scriptEnabled: false });
const EXPRESSION_OPTIONS = prebuiltOptions(FULL_CONTEXT, { scriptEnabled: false });
const PIPELINE_OPTIONS = {
  readOnly: prebuiltOptions(FULL_CONTEXT, {
    scriptEnabled: false,
    processingMode: ProcessingMode.CLONE_OFF,
    collectionResolver,
  }),
  cloningInput: prebuiltOptions(FULL_CONTEXT, {
    scriptEnabled: false,
    processingMode: ProcessingMode.CLONE_INPUT,
    collectionResolver,
  }),
};

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

function query(filter: Doc, projecting = false): Query {
  const needsExpressions = projecting || mentions(filter, NEEDS_EXPRESSIONS);
  return new Query(filter, needsExpressions ? EXPRESSION_OPTIONS : QUERY_OPTIONS);
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
    const cursor = query(filter, projection !== undefined).find<Doc>(docs, projection);
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
  const previous = resolveCollection;
  resolveCollection = resolve;
  try {
    return new Aggregator(pipeline, readOnly ? PIPELINE_OPTIONS.readOnly : PIPELINE_OPTIONS.cloningInput).run(
      docs,
    ) as Doc[];
  } catch (err) {
    throw asMongoError(err);
  } finally {
    resolveCollection = previous;
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
