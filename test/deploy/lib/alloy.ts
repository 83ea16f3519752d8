/**
 * A parser for the subset of Grafana Alloy's configuration syntax the compose stack's collector uses, so the
 * config can be checked without the alloy binary: blocks with an optional label, attributes, strings (with
 * Go-style escapes), numbers, booleans, null, lists, objects and references to other components' exports.
 * Anything else (function calls, arithmetic, raw strings) is a parse error here.
 */
export type AlloyValue =
  string | number | boolean | null | AlloyValue[] | { [key: string]: AlloyValue } | AlloyReference;

export class AlloyReference {
  constructor(readonly path: string) {}
}

export interface AlloyBlock {
  /** e.g. "loki.source.docker", or "rule" for a nested block */
  name: string;
  label?: string;
  attributes: Record<string, AlloyValue>;
  blocks: AlloyBlock[];
}

const TOKEN =
  /\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|("(?:[^"\\\n]|\\.)*")|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)|([{}[\]=,])|(.)/y;

interface Token {
  kind: 'string' | 'number' | 'ident' | 'punct';
  text: string;
  line: number;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let line = 1;
  for (let m = TOKEN.exec(text); m !== null && m[0] !== ''; m = TOKEN.exec(text)) {
    const [whole, str, num, ident, punct, bad] = m;
    if (bad !== undefined) throw new Error(`line ${line}: unexpected character ${JSON.stringify(bad)}`);
    if (str !== undefined) tokens.push({ kind: 'string', text: JSON.parse(str) as string, line });
    if (num !== undefined) tokens.push({ kind: 'number', text: num, line });
    if (ident !== undefined) tokens.push({ kind: 'ident', text: ident, line });
    if (punct !== undefined) tokens.push({ kind: 'punct', text: punct, line });
    line += whole.split('\n').length - 1;
  }
  return tokens;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }

  private next(what: string): Token {
    const token = this.tokens[this.i++];
    if (!token) throw new Error(`unexpected end of file, expected ${what}`);
    return token;
  }

  private expect(text: string): void {
    const token = this.next(JSON.stringify(text));
    if (token.text !== text || token.kind !== 'punct') {
      throw new Error(
        `line ${token.line}: expected ${JSON.stringify(text)}, found ${JSON.stringify(token.text)}`,
      );
    }
  }

  /** Statements until the closing brace (or the end of the file at the top level). */
  body(top: boolean): Pick<AlloyBlock, 'attributes' | 'blocks'> {
    const out: Pick<AlloyBlock, 'attributes' | 'blocks'> = { attributes: {}, blocks: [] };
    while (this.peek() && !(this.peek()?.text === '}' && this.peek()?.kind === 'punct')) {
      const name = this.next('a name');
      if (name.kind !== 'ident') throw new Error(`line ${name.line}: expected a name, found ${name.text}`);
      if (this.peek()?.text === '=') {
        if (top) throw new Error(`line ${name.line}: attribute ${name.text} outside a block`);
        this.i++;
        if (name.text in out.attributes) throw new Error(`line ${name.line}: ${name.text} set twice`);
        out.attributes[name.text] = this.value();
        continue;
      }
      const label = this.peek()?.kind === 'string' ? this.next('a label').text : undefined;
      this.expect('{');
      out.blocks.push({ name: name.text, ...(label !== undefined ? { label } : {}), ...this.body(false) });
      this.expect('}');
    }
    if (top && this.peek()) throw new Error(`line ${this.peek()?.line}: unmatched }`);
    return out;
  }

  private value(): AlloyValue {
    const token = this.next('a value');
    if (token.kind === 'string') return token.text;
    if (token.kind === 'number') return Number(token.text);
    if (token.kind === 'ident') {
      if (token.text === 'true' || token.text === 'false') return token.text === 'true';
      if (token.text === 'null') return null;
      if (this.peek()?.text === '(')
        throw new Error(`line ${token.line}: function calls are not supported here`);
      return new AlloyReference(token.text);
    }
    if (token.text === '[') return this.sequence(']', () => this.value());
    if (token.text === '{') {
      const entries = this.sequence('}', () => {
        const key = this.next('a key');
        if (key.kind !== 'ident' && key.kind !== 'string')
          throw new Error(`line ${key.line}: bad key ${key.text}`);
        this.expect('=');
        return [key.text, this.value()] as const;
      });
      return Object.fromEntries(entries);
    }
    throw new Error(`line ${token.line}: unexpected ${JSON.stringify(token.text)}`);
  }

  /** Comma-separated items up to `close`; a trailing comma is allowed. */
  private sequence<T>(close: string, item: () => T): T[] {
    const items: T[] = [];
    while (this.peek()?.text !== close) {
      items.push(item());
      if (this.peek()?.text === ',') this.i++;
      else break;
    }
    this.expect(close);
    return items;
  }
}

/** The top-level blocks (components) of an Alloy configuration. */
export function parseAlloy(text: string): AlloyBlock[] {
  return new Parser(tokenize(text)).body(true).blocks;
}

/** How a component is referred to from expressions: `loki.write "x"` → "loki.write.x". */
export function componentId(block: AlloyBlock): string {
  return block.label === undefined ? block.name : `${block.name}.${block.label}`;
}

/** Every reference in a value, recursively. */
export function references(value: AlloyValue): AlloyReference[] {
  if (value instanceof AlloyReference) return [value];
  if (Array.isArray(value)) return value.flatMap(references);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(references);
  return [];
}
