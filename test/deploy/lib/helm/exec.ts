/** Executes parsed templates with Go text/template semantics (as far as Helm charts rely on them). */
import type { Command, Node, Pipeline, Term } from './parse';

export type Value = unknown;
export type TemplateFunc = (...args: Value[]) => Value;

/** Go's notion of "empty": false, 0, "", nil, and empty lists and maps. */
export function truthy(value: Value): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** How {{ value }} prints: like Go's fmt %v, with Helm's "<no value>" turned into "". */
export function printValue(value: Value): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return `[${value.map(printValue).join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, Value>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `map[${entries.map(([k, v]) => `${k}:${printValue(v)}`).join(' ')}]`;
  }
  return String(value);
}

function isRecord(value: Value): value is Record<string, Value> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function field(receiver: Value, name: string, where: string): Value {
  if (receiver === undefined || receiver === null) throw new Error(`nil pointer evaluating ${where}.${name}`);
  if (isRecord(receiver) || typeof receiver === 'function') return (receiver as Record<string, Value>)[name];
  throw new Error(`can't evaluate field ${name} in ${where} (a ${typeof receiver})`);
}

class Scope {
  private readonly vars = new Map<string, Value>();
  constructor(private readonly parent?: Scope) {}
  declare(name: string, value: Value): void {
    this.vars.set(name, value);
  }
  assign(name: string, value: Value): void {
    if (this.vars.has(name)) this.vars.set(name, value);
    else if (this.parent) this.parent.assign(name, value);
    else throw new Error(`undefined variable $${name}`);
  }
  get(name: string): Value {
    if (this.vars.has(name)) return this.vars.get(name);
    if (this.parent) return this.parent.get(name);
    throw new Error(`undefined variable $${name}`);
  }
  child(): Scope {
    return new Scope(this);
  }
}

export class Executor {
  private depth = 0;
  constructor(
    private readonly defines: ReadonlyMap<string, Node[]>,
    private readonly funcs: Readonly<Record<string, TemplateFunc>>,
  ) {}

  /** Renders a named define with `dot` as data (the template action and the include function). */
  renderNamed(name: string, dot: Value): string {
    const body = this.defines.get(name);
    if (!body) throw new Error(`no template "${name}"`);
    this.depth += 1;
    if (this.depth > 100) throw new Error(`template "${name}" recurses too deep`);
    try {
      return this.render(body, dot);
    } finally {
      this.depth -= 1;
    }
  }

  render(nodes: readonly Node[], dot: Value): string {
    const scope = new Scope();
    scope.declare('', dot);
    return this.list(nodes, dot, scope);
  }

  private list(nodes: readonly Node[], dot: Value, scope: Scope): string {
    let out = '';
    for (const node of nodes) out += this.node(node, dot, scope);
    return out;
  }

  private node(node: Node, dot: Value, scope: Scope): string {
    switch (node.kind) {
      case 'text':
        return node.text;
      case 'action': {
        const value = this.pipeline(node.pipeline, dot, scope);
        return node.pipeline.decl.length > 0 || node.pipeline.assign.length > 0 ? '' : printValue(value);
      }
      case 'if': {
        for (const branch of node.branches) {
          const inner = scope.child();
          if (truthy(this.pipeline(branch.cond, dot, inner))) return this.list(branch.body, dot, inner);
        }
        return this.list(node.otherwise, dot, scope.child());
      }
      case 'with': {
        const inner = scope.child();
        const value = this.pipeline(node.pipeline, dot, inner);
        return truthy(value)
          ? this.list(node.body, value, inner)
          : this.list(node.otherwise, dot, scope.child());
      }
      case 'range':
        return this.range(node, dot, scope);
      case 'template':
        return this.renderNamed(
          node.name,
          node.pipeline ? this.pipeline(node.pipeline, dot, scope) : undefined,
        );
    }
  }

  private range(node: Extract<Node, { kind: 'range' }>, dot: Value, scope: Scope): string {
    const { decl } = node.pipeline;
    const collection = this.pipeline({ ...node.pipeline, decl: [], assign: [] }, dot, scope);
    let items: [Value, Value][];
    if (Array.isArray(collection)) items = collection.map((v, i) => [i, v]);
    else if (isRecord(collection))
      items = Object.keys(collection)
        .sort()
        .map((k) => [k, collection[k]]);
    else if (typeof collection === 'number') items = Array.from({ length: collection }, (_, i) => [i, i]);
    else if (collection === undefined || collection === null) items = [];
    else throw new Error(`range can't iterate over ${printValue(collection)}`);
    if (items.length === 0) return this.list(node.otherwise, dot, scope.child());
    let out = '';
    for (const [key, value] of items) {
      const inner = scope.child();
      if (decl.length === 1) inner.declare(decl[0] ?? '', value);
      if (decl.length === 2) {
        inner.declare(decl[0] ?? '', key);
        inner.declare(decl[1] ?? '', value);
      }
      out += this.list(node.body, value, inner);
    }
    return out;
  }

  pipeline(pipeline: Pipeline, dot: Value, scope: Scope): Value {
    let value: Value;
    let piped = false;
    for (const command of pipeline.commands) {
      value = this.command(command, dot, scope, piped ? [value] : []);
      piped = true;
    }
    for (const name of pipeline.decl) scope.declare(name, value);
    for (const name of pipeline.assign) scope.assign(name, value);
    return value;
  }

  private command(command: Command, dot: Value, scope: Scope, piped: Value[]): Value {
    const [head, ...rest] = command.terms;
    if (head === undefined) throw new Error('empty command');
    const args = (): Value[] => [...rest.map((t) => this.term(t, dot, scope)), ...piped];
    if (head.kind === 'func') {
      const fn = this.funcs[head.name];
      if (!fn) throw new Error(`function "${head.name}" not defined`);
      return fn(...args());
    }
    const value = this.term(head, dot, scope);
    if (typeof value === 'function') return (value as TemplateFunc)(...args());
    if (rest.length > 0 || piped.length > 0) throw new Error(`can't give arguments to a non-function`);
    return value;
  }

  private term(term: Term, dot: Value, scope: Scope): Value {
    switch (term.kind) {
      case 'literal':
        return term.value;
      case 'func': {
        const fn = this.funcs[term.name];
        if (!fn) throw new Error(`function "${term.name}" not defined`);
        return fn();
      }
      case 'field':
        return this.walk(dot, term.path, '.');
      case 'var':
        return this.walk(scope.get(term.name), term.path, `$${term.name}`);
      case 'sub':
        return this.walk(this.pipeline(term.pipeline, dot, scope.child()), term.path, '( … )');
    }
  }

  private walk(start: Value, path: readonly string[], where: string): Value {
    let value = start;
    let at = where;
    for (const name of path) {
      value = field(value, name, at);
      at = `${at === '.' ? '' : at}.${name}`;
    }
    return value;
  }
}
