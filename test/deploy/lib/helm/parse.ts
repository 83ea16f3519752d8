/**
 * Parser for the subset of Go's text/template that Helm charts use: text, {{ actions }} with the
 * {{- -}} trim markers and comments; if / else if / else, range (with $i, $v :=), with, define,
 * template, end; pipelines with |, variables ($x := …, $x = …), field chains, literals and ( … ).
 */

export type Term =
  | { kind: 'field'; path: string[] } // .A.B ("." itself is path [])
  | { kind: 'var'; name: string; path: string[] } // $x.A ("$" is name "")
  | { kind: 'func'; name: string }
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'sub'; pipeline: Pipeline; path: string[] }; // ( … ).A

export interface Command {
  terms: Term[];
}

export interface Pipeline {
  decl: string[]; // variables declared with :=
  assign: string[]; // variables assigned with =
  commands: Command[];
}

export type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipeline: Pipeline }
  | { kind: 'if'; branches: { cond: Pipeline; body: Node[] }[]; otherwise: Node[] }
  | { kind: 'range'; pipeline: Pipeline; body: Node[]; otherwise: Node[] }
  | { kind: 'with'; pipeline: Pipeline; body: Node[]; otherwise: Node[] }
  | { kind: 'template'; name: string; pipeline: Pipeline | undefined };

export interface ParsedTemplate {
  nodes: Node[];
  defines: Map<string, Node[]>;
}

type Chunk = { kind: 'text'; text: string } | { kind: 'action'; src: string; at: number };

/** Splits source into text and action chunks, applying the trim markers. */
function chunk(source: string, file: string): Chunk[] {
  const chunks: Chunk[] = [];
  let pos = 0;
  let trimNext = false;
  while (pos < source.length) {
    const open = source.indexOf('{{', pos);
    let text = source.slice(pos, open === -1 ? undefined : open);
    if (trimNext) text = text.replace(/^\s+/, '');
    trimNext = false;
    if (open === -1) {
      chunks.push({ kind: 'text', text });
      break;
    }
    const trimLeft = /^\{\{-\s/.test(source.slice(open, open + 4));
    if (trimLeft) text = text.replace(/\s+$/, '');
    chunks.push({ kind: 'text', text });
    const bodyStart = open + (trimLeft ? 3 : 2);
    let i = bodyStart;
    const commentAt = source.slice(bodyStart).search(/\S/) + bodyStart;
    if (source.startsWith('/*', commentAt)) {
      // a comment: {{/* … */}} or {{- /* … */ -}}
      const end = source.indexOf('*/', commentAt + 2);
      const close = end === -1 ? -1 : source.indexOf('}}', end);
      if (close === -1) throw new Error(`${file}: unclosed comment at offset ${open}`);
      trimNext = /\s-$/.test(source.slice(end + 2, close));
      pos = close + 2;
      continue;
    }
    // find the closing }} outside string literals
    let quote: string | undefined;
    for (; i < source.length; i += 1) {
      const c = source[i];
      if (quote) {
        if (c === '\\' && quote === '"') i += 1;
        else if (c === quote) quote = undefined;
      } else if (c === '"' || c === '`') quote = c;
      else if (source.startsWith('}}', i)) break;
    }
    if (i >= source.length) throw new Error(`${file}: unclosed action at offset ${open}`);
    let inner = source.slice(bodyStart, i);
    if (/\s-$/.test(inner)) {
      trimNext = true;
      inner = inner.slice(0, -1);
    }
    chunks.push({ kind: 'action', src: inner.trim(), at: open });
    pos = i + 2;
  }
  return chunks.filter((c) => c.kind === 'action' || c.text !== '');
}

type Token =
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'field'; v: string[] }
  | { t: 'var'; v: string; path: string[] }
  | { t: 'ident'; v: string }
  | { t: 'punct'; v: '(' | ')' | '|' | ':=' | '=' | ',' }
  | { t: 'dotpath'; v: string[] }; // .A.B right after a ')'

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fieldPath = (): string[] => {
    const m = /^(\.[A-Za-z_][A-Za-z0-9_]*)+/.exec(src.slice(i));
    if (!m) return [];
    i += m[0].length;
    return m[0].slice(1).split('.');
  };
  while (i < src.length) {
    const c = src[i] ?? '';
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(src.slice(i));
      if (!m) throw new Error(`unterminated string in {{ ${src} }}`);
      tokens.push({ t: 'str', v: JSON.parse(m[0]) as string });
      i += m[0].length;
    } else if (c === '`') {
      const end = src.indexOf('`', i + 1);
      tokens.push({ t: 'str', v: src.slice(i + 1, end) });
      i = end + 1;
    } else if (src.startsWith(':=', i)) {
      tokens.push({ t: 'punct', v: ':=' });
      i += 2;
    } else if ('()|=,'.includes(c)) {
      tokens.push({ t: 'punct', v: c as '(' | ')' | '|' | '=' | ',' });
      i += 1;
    } else if (c === '.') {
      const afterParen = i > 0 && src[i - 1] === ')';
      const path = fieldPath();
      if (path.length === 0) i += 1; // "." alone
      tokens.push(afterParen ? { t: 'dotpath', v: path } : { t: 'field', v: path });
    } else if (c === '$') {
      const m = /^\$[A-Za-z0-9_]*/.exec(src.slice(i)) ?? ['$'];
      i += m[0].length;
      tokens.push({ t: 'var', v: m[0].slice(1), path: fieldPath() });
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?(0x[0-9a-fA-F]+|[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?)/.exec(src.slice(i));
      if (!m) throw new Error(`bad number in {{ ${src} }}`);
      tokens.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i)) ?? [''];
      tokens.push({ t: 'ident', v: m[0] });
      i += m[0].length;
    } else {
      throw new Error(`unexpected "${c}" in {{ ${src} }}`);
    }
  }
  return tokens;
}

class PipelineParser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly src: string,
  ) {}

  parse(): Pipeline {
    const pipeline = this.pipeline();
    if (this.pos < this.tokens.length) throw new Error(`unexpected tokens in {{ ${this.src} }}`);
    return pipeline;
  }

  private pipeline(): Pipeline {
    const decl: string[] = [];
    const assign: string[] = [];
    // $a := …, $a, $b := …, $a = …
    const vars: string[] = [];
    let look = this.pos;
    while (this.tokens[look]?.t === 'var') {
      const tok = this.tokens[look] as { t: 'var'; v: string; path: string[] };
      if (tok.path.length > 0) break;
      vars.push(tok.v);
      const next = this.tokens[look + 1];
      if (next?.t === 'punct' && next.v === ',') look += 2;
      else {
        look += 1;
        break;
      }
    }
    const op = this.tokens[look];
    if (vars.length > 0 && op?.t === 'punct' && (op.v === ':=' || op.v === '=')) {
      (op.v === ':=' ? decl : assign).push(...vars);
      this.pos = look + 1;
    }
    const commands: Command[] = [];
    for (;;) {
      commands.push(this.command());
      const next = this.tokens[this.pos];
      if (next?.t === 'punct' && next.v === '|') this.pos += 1;
      else break;
    }
    return { decl, assign, commands };
  }

  private command(): Command {
    const terms: Term[] = [];
    for (;;) {
      const tok = this.tokens[this.pos];
      if (tok === undefined || (tok.t === 'punct' && (tok.v === '|' || tok.v === ')'))) break;
      this.pos += 1;
      switch (tok.t) {
        case 'str':
        case 'num':
          terms.push({ kind: 'literal', value: tok.v });
          break;
        case 'field':
          terms.push({ kind: 'field', path: tok.v });
          break;
        case 'var':
          terms.push({ kind: 'var', name: tok.v, path: tok.path });
          break;
        case 'ident':
          if (tok.v === 'true' || tok.v === 'false') terms.push({ kind: 'literal', value: tok.v === 'true' });
          else if (tok.v === 'nil') terms.push({ kind: 'literal', value: null });
          else terms.push({ kind: 'func', name: tok.v });
          break;
        case 'punct': {
          if (tok.v !== '(') throw new Error(`unexpected "${tok.v}" in {{ ${this.src} }}`);
          const pipeline = this.pipeline();
          const close = this.tokens[this.pos];
          if (close?.t !== 'punct' || close.v !== ')') throw new Error(`missing ) in {{ ${this.src} }}`);
          this.pos += 1;
          const after = this.tokens[this.pos];
          let path: string[] = [];
          if (after?.t === 'dotpath') {
            path = after.v;
            this.pos += 1;
          }
          terms.push({ kind: 'sub', pipeline, path });
          break;
        }
        default:
          throw new Error(`unexpected token in {{ ${this.src} }}`);
      }
    }
    if (terms.length === 0) throw new Error(`empty command in {{ ${this.src} }}`);
    return { terms };
  }
}

export function parsePipeline(src: string): Pipeline {
  return new PipelineParser(tokenize(src), src).parse();
}

const KEYWORD = /^(if|else|end|range|with|define|template|block)\b\s*/;

/** Parses a template file; `define`d blocks go to `defines`, the rest to `nodes`. */
export function parseTemplate(source: string, file: string): ParsedTemplate {
  const chunks = chunk(source, file);
  const defines = new Map<string, Node[]>();
  let pos = 0;

  type Stop = { keyword: 'end' | 'else'; rest: string };
  const parseList = (): { nodes: Node[]; stop: Stop | undefined } => {
    const nodes: Node[] = [];
    while (pos < chunks.length) {
      const c = chunks[pos] as Chunk;
      pos += 1;
      if (c.kind === 'text') {
        nodes.push({ kind: 'text', text: c.text });
        continue;
      }
      const m = KEYWORD.exec(c.src);
      if (!m) {
        nodes.push({ kind: 'action', pipeline: parsePipeline(c.src) });
        continue;
      }
      const keyword = (m[1] ?? '') as string;
      const rest = c.src.slice(m[0].length);
      try {
        if (keyword === 'end' || keyword === 'else') return { nodes, stop: { keyword, rest } };
        if (keyword === 'if') nodes.push(parseIf(rest));
        else if (keyword === 'range' || keyword === 'with') {
          const pipeline = parsePipeline(rest);
          const { body, otherwise } = parseBodyElse(keyword);
          nodes.push({ kind: keyword, pipeline, body, otherwise });
        } else if (keyword === 'define') {
          const name = JSON.parse(rest.trim()) as string;
          const { nodes: body, stop } = parseList();
          if (stop?.keyword !== 'end') throw new Error(`define "${name}" has no end`);
          defines.set(name, body);
        } else if (keyword === 'template') {
          const m2 = /^("(?:[^"\\]|\\.)*")\s*(.*)$/.exec(rest);
          if (!m2) throw new Error(`bad template action: ${c.src}`);
          const arg = (m2[2] ?? '').trim();
          nodes.push({
            kind: 'template',
            name: JSON.parse(m2[1] ?? '""') as string,
            pipeline: arg ? parsePipeline(arg) : undefined,
          });
        } else {
          throw new Error(`unsupported keyword ${keyword}`);
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(message.startsWith(file) ? message : `${file}: ${message} (at {{ ${c.src} }})`);
      }
    }
    return { nodes, stop: undefined };
  };

  const parseBodyElse = (what: string): { body: Node[]; otherwise: Node[] } => {
    const first = parseList();
    if (first.stop?.keyword === 'end') return { body: first.nodes, otherwise: [] };
    if (first.stop?.keyword !== 'else' || first.stop.rest !== '') throw new Error(`${what} without end`);
    const second = parseList();
    if (second.stop?.keyword !== 'end') throw new Error(`${what} … else without end`);
    return { body: first.nodes, otherwise: second.nodes };
  };

  const parseIf = (condSrc: string): Node => {
    const branches: { cond: Pipeline; body: Node[] }[] = [];
    let cond = parsePipeline(condSrc);
    for (;;) {
      const { nodes, stop } = parseList();
      branches.push({ cond, body: nodes });
      if (stop?.keyword === 'end') return { kind: 'if', branches, otherwise: [] };
      if (stop?.keyword !== 'else') throw new Error('if without end');
      const elseIf = /^if\s+(.*)$/s.exec(stop.rest);
      if (elseIf) {
        cond = parsePipeline(elseIf[1] ?? '');
        continue;
      }
      const last = parseList();
      if (last.stop?.keyword !== 'end') throw new Error('if … else without end');
      return { kind: 'if', branches, otherwise: last.nodes };
    }
  };

  const { nodes, stop } = parseList();
  if (stop) throw new Error(`${file}: unexpected {{ ${stop.keyword} }}`);
  return { nodes, defines };
}
