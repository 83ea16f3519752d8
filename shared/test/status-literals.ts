import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/**
 * Finds statuses typed by hand in source text, through the TypeScript parser: so every quote style counts
 * (`'a'`, `"a"`, `` `a` ``) and comments do not.
 */

/** A literal found: where, and what it says. */
export interface Finding {
  path: string;
  line: number;
  text: string;
}

/** Tells whether a string spells a status (or a journey step such as `out_for_delivery/waiting`). */
export type IsStatus = (literal: string) => boolean;

/** A status, or a journey step as tests and the benchmark write it (`out_for_delivery/waiting`, `created/-`). */
export function statusMatcher(
  orderStatuses: readonly string[],
  deliveryStatuses: readonly string[],
): IsStatus {
  const order = new Set(orderStatuses);
  const either = new Set([...orderStatuses, ...deliveryStatuses]);
  const delivery = new Set([...deliveryStatuses, 'null', '-']);
  return (literal) => {
    const [status = '', deliveryStatus, ...rest] = literal.split('/');
    if (deliveryStatus === undefined) return either.has(status);
    return rest.length === 0 && order.has(status) && delivery.has(deliveryStatus);
  };
}

/** Every `.ts`/`.tsx` file under `dir` (relative to `root`), as a path relative to `root`. */
function sourcePaths(root: string, dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(join(root, path)).isDirectory()) return sourcePaths(root, path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The syntax tree of every `.ts`/`.tsx` file under `dirs` of `root`; `fileName` is the path from `root`. */
export function sourceFiles(root: string, dirs: readonly string[]): ts.SourceFile[] {
  return dirs
    .flatMap((dir) => sourcePaths(root, dir))
    .map((path) => parseSource(path, readFileSync(join(root, path), 'utf8')));
}

/** Test code: anything in a `test/` folder or named `*.test.ts(x)`. */
export const isTestCode = (path: string): boolean => /(^|\/)test\//.test(path) || /\.test\.tsx?$/.test(path);

/** A file's syntax tree: parse each file once, then run both scans over it. */
export function parseSource(path: string, text: string): ts.SourceFile {
  const kind = path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  return ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
}

/** The text of a plain string literal (any quotes, no `${}`), looking through `as const` and parentheses. */
function literalText(node: ts.Node): string | null {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isLiteralTypeNode(node)) return literalText(node.literal);
  if (ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isParenthesizedExpression(node))
    return literalText(node.expression);
  return null;
}

function walk(file: ts.SourceFile, visit: (node: ts.Node) => void): void {
  const go = (node: ts.Node): void => {
    visit(node);
    ts.forEachChild(node, go);
  };
  go(file);
}

function finding(file: ts.SourceFile, node: ts.Node, text: string): Finding {
  const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
  return { path: file.fileName, line, text };
}

/** Every status literal, one by one: for product code, which may name a status only through the definition. */
export function statusLiterals(file: ts.SourceFile, isStatus: IsStatus): Finding[] {
  const found: Finding[] = [];
  walk(file, (node) => {
    if (!ts.isStringLiteral(node) && !ts.isNoSubstitutionTemplateLiteral(node)) return;
    if (isStatus(node.text)) found.push(finding(file, node, JSON.stringify(node.text)));
  });
  return found;
}

/** The status literals among `members`. */
function statusesIn(members: readonly ts.Node[], isStatus: IsStatus): string[] {
  return members.map(literalText).filter((t): t is string => t !== null && isStatus(t));
}

/** A call given two statuses or more: one step (from, to), e.g. `changed('created', 'confirmed', 1)`. */
function stepIn(node: ts.Node, isStatus: IsStatus): string | null {
  if (!ts.isCallExpression(node)) return null;
  const statuses = statusesIn(node.arguments, isStatus);
  return statuses.length >= 2 ? statuses.join(' → ') : null;
}

/**
 * Lists of statuses typed by hand: an array or tuple with two different status literals or more, a union
 * of two or more, a call given three or more, or an array or call given two steps or more (a call with a
 * from and a to status each). A single status, or a single step, as data is fine.
 */
export function statusLists(file: ts.SourceFile, isStatus: IsStatus): Finding[] {
  const found: Finding[] = [];
  const check = (node: ts.Node, members: readonly ts.Node[], least: number) => {
    const statuses = statusesIn(members, isStatus);
    // Distinct: several things in the same status (two deliveries both waiting) are no ordering.
    if (new Set(statuses).size >= least) found.push(finding(file, node, statuses.join(', ')));
    const steps = members.map((m) => stepIn(m, isStatus)).filter((step) => step !== null);
    if (steps.length >= 2) found.push(finding(file, node, steps.join(', ')));
  };
  walk(file, (node) => {
    if (ts.isArrayLiteralExpression(node)) check(node, node.elements, 2);
    else if (ts.isTupleTypeNode(node)) check(node, node.elements, 2);
    else if (ts.isUnionTypeNode(node)) check(node, node.types, 2);
    else if (ts.isCallExpression(node) || ts.isNewExpression(node)) check(node, node.arguments ?? [], 3);
  });
  return found;
}
