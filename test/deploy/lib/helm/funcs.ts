/** The Helm and Sprig functions the chart uses (and a few obvious neighbours), with their argument order. */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { stringify } from 'yaml';
import { printValue, truthy, type TemplateFunc, type Value } from './exec';

const str = (v: Value): string => printValue(v);
const num = (v: Value): number => {
  const n = typeof v === 'number' ? v : Number(str(v));
  if (Number.isNaN(n)) throw new Error(`not a number: ${str(v)}`);
  return n;
};
const isMap = (v: Value): v is Record<string, Value> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function indent(spaces: number, text: string): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => pad + line)
    .join('\n');
}

/** Go's fmt verbs the chart uses: %s %d %v %q %%. */
function printf(format: string, ...args: Value[]): string {
  let i = 0;
  return format.replace(/%([sdvq%])/g, (_m, verb: string) => {
    if (verb === '%') return '%';
    const arg = args[i++];
    if (verb === 'd') return String(Math.trunc(num(arg)));
    if (verb === 'q') return JSON.stringify(str(arg));
    return str(arg);
  });
}

function deepMerge(
  dst: Record<string, Value>,
  src: Record<string, Value>,
  overwrite: boolean,
): Record<string, Value> {
  for (const [key, value] of Object.entries(src)) {
    const existing = dst[key];
    if (isMap(existing) && isMap(value)) deepMerge(existing, value, overwrite);
    else if (overwrite || existing === undefined || existing === null) dst[key] = value;
  }
  return dst;
}

function equal(a: Value, b: Value): boolean {
  return a === b || (a == null && b == null);
}

export interface FuncContext {
  include(name: string, dot: Value): string;
  tpl(text: string, dot: Value): string;
}

export function helmFunctions(ctx: FuncContext): Record<string, TemplateFunc> {
  return {
    include: (name, dot) => ctx.include(str(name), dot),
    tpl: (text, dot) => ctx.tpl(str(text), dot),
    required: (message, value) => {
      if (value === undefined || value === null || value === '') throw new Error(str(message));
      return value;
    },
    fail: (message) => {
      throw new Error(str(message));
    },
    lookup: () => ({}),

    default: (fallback, ...given) => (given.length > 0 && truthy(given[0]) ? given[0] : fallback),
    empty: (v) => !truthy(v),
    coalesce: (...values) => values.find(truthy),
    ternary: (yes, no, cond) => (truthy(cond) ? yes : no),

    toYaml: (v) =>
      v === undefined || v === null ? 'null' : stringify(v, { sortMapEntries: true }).replace(/\n$/, ''),
    toJson: (v) => JSON.stringify(v ?? null),
    indent: (n, text) => indent(num(n), str(text)),
    nindent: (n, text) => `\n${indent(num(n), str(text))}`,
    quote: (...values) =>
      values
        .filter((v) => v !== undefined && v !== null)
        .map((v) => JSON.stringify(str(v)))
        .join(' '),
    squote: (...values) =>
      values
        .filter((v) => v !== undefined && v !== null)
        .map((v) => `'${str(v)}'`)
        .join(' '),
    printf: (format, ...args) => printf(str(format), ...args),
    print: (...args) => args.map(str).join(''),
    toString: (v: Value) => str(v),
    trim: (s) => str(s).trim(),
    trimSuffix: (suffix, s) =>
      str(s).endsWith(str(suffix)) ? str(s).slice(0, -str(suffix).length || undefined) : str(s),
    trimPrefix: (prefix, s) => (str(s).startsWith(str(prefix)) ? str(s).slice(str(prefix).length) : str(s)),
    trunc: (n, s) => (num(n) >= 0 ? str(s).slice(0, num(n)) : str(s).slice(num(n))),
    lower: (s) => str(s).toLowerCase(),
    upper: (s) => str(s).toUpperCase(),
    replace: (from, to, s) => str(s).split(str(from)).join(str(to)),
    contains: (sub, s) => str(s).includes(str(sub)),
    hasPrefix: (prefix, s) => str(s).startsWith(str(prefix)),
    hasSuffix: (suffix, s) => str(s).endsWith(str(suffix)),
    base: (s) => path.posix.basename(str(s)),
    join: (sep, list) => (Array.isArray(list) ? list.map(str).join(str(sep)) : str(list)),
    urlquery: (...vs) => encodeURIComponent(vs.map(str).join('')),
    b64enc: (s) => Buffer.from(str(s)).toString('base64'),
    b64dec: (s) => Buffer.from(str(s), 'base64').toString(),
    sha256sum: (s) => createHash('sha256').update(str(s)).digest('hex'),

    int: (v) => Math.trunc(num(v)),
    int64: (v) => Math.trunc(num(v)),
    float64: (v) => num(v),
    add: (...vs) => vs.reduce<number>((a, b) => a + num(b), 0),
    add1: (v) => num(v) + 1,
    sub: (a, b) => num(a) - num(b),
    mul: (...vs) => vs.reduce<number>((a, b) => a * num(b), 1),
    div: (a, b) => Math.trunc(num(a) / num(b)),
    max: (...vs) => Math.max(...vs.map(num)),
    min: (...vs) => Math.min(...vs.map(num)),
    until: (n) => Array.from({ length: num(n) }, (_, i) => i),

    list: (...vs) => vs,
    append: (list, item) => [...(Array.isArray(list) ? list : []), item],
    dict: (...kv) => {
      const out: Record<string, Value> = {};
      for (let i = 0; i + 1 < kv.length; i += 2) out[str(kv[i])] = kv[i + 1];
      return out;
    },
    get: (map, key) => (isMap(map) ? (map[str(key)] ?? '') : ''),
    hasKey: (map, key) => isMap(map) && str(key) in map,
    keys: (...maps) => maps.flatMap((m) => (isMap(m) ? Object.keys(m) : [])),
    merge: (dst, ...srcs) =>
      srcs.reduce<Record<string, Value>>(
        (d, s) => (isMap(s) ? deepMerge(d, s, false) : d),
        isMap(dst) ? dst : {},
      ),
    mergeOverwrite: (dst, ...srcs) =>
      srcs.reduce<Record<string, Value>>(
        (d, s) => (isMap(s) ? deepMerge(d, s, true) : d),
        isMap(dst) ? dst : {},
      ),
    first: (list) => (Array.isArray(list) ? list[0] : undefined),
    last: (list) => (Array.isArray(list) ? list[list.length - 1] : undefined),
    has: (item, list) => Array.isArray(list) && list.some((v) => equal(v, item)),
    len: (v) => (Array.isArray(v) || typeof v === 'string' ? v.length : isMap(v) ? Object.keys(v).length : 0),
    index: (v, ...keys) =>
      keys.reduce<Value>(
        (acc, k) => (Array.isArray(acc) ? acc[num(k)] : isMap(acc) ? acc[str(k)] : undefined),
        v,
      ),

    eq: (a, ...others) => others.some((b) => equal(a, b)),
    ne: (a, b) => !equal(a, b),
    lt: (a, b) => num(a) < num(b),
    le: (a, b) => num(a) <= num(b),
    gt: (a, b) => num(a) > num(b),
    ge: (a, b) => num(a) >= num(b),
    and: (...vs) => vs.find((v) => !truthy(v)) ?? vs[vs.length - 1],
    or: (...vs) => vs.find(truthy) ?? vs[vs.length - 1],
    not: (v) => !truthy(v),
    kindIs: (kind, v) => kindOf(v) === str(kind),
  };
}

function kindOf(v: Value): string {
  if (v === undefined || v === null) return 'invalid';
  if (Array.isArray(v)) return 'slice';
  if (typeof v === 'object') return 'map';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  return 'string';
}
