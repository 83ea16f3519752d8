/** The test-only Go/Helm template renderer: each case states what Go's text/template + Sprig would print. */
import { Executor, type Value } from './lib/helm/exec';
import { helmFunctions } from './lib/helm/funcs';
import { parseTemplate } from './lib/helm/parse';

function render(source: string, data: Value, partials = ''): string {
  const parsed = parseTemplate(partials + source, 'test.tpl');
  const executor: Executor = new Executor(
    parsed.defines,
    helmFunctions({
      include: (name, dot) => executor.renderNamed(name, dot),
      tpl: (text, dot) => executor.render(parseTemplate(text, 'tpl').nodes, dot),
    }),
  );
  return executor.render(parsed.nodes, data);
}

describe('helm template renderer', () => {
  it('given trim markers, then whitespace on the marked side goes, newlines included', () => {
    expect(render('a  \n  {{- "b" -}}  \n  c', {})).toBe('abc');
    expect(render('a {{ "b" }} c', {})).toBe('a b c');
  });

  it('given a range over a map of files, then keys in order and base names, as .Files.Glob is used', () => {
    const files = { 'files/d/b.json': '{}', 'files/d/a.json': '[]' };
    expect(
      render(
        '{{ range $path, $_ := .f }}{{ base $path | trimSuffix ".json" }}={{ index $.f $path }};{{ end }}',
        { f: files },
      ),
    ).toBe('a=[];b={};');
  });

  it('given comments, then they print nothing and honour their trim markers', () => {
    expect(render('x\n{{- /* a comment */ -}}\ny{{/* another */}}', {})).toBe('xy');
  });

  it('given field chains, then a missing key prints empty and a field of nil is an error', () => {
    expect(render('{{ .a.b }}|{{ .a.missing }}|{{ .top }}', { a: { b: 1 } })).toBe('1||');
    expect(() => render('{{ .a.b.c }}', { a: {} })).toThrow('nil pointer evaluating .a.b.c');
  });

  it('given if / else if / else, then Go truthiness picks the branch', () => {
    const t = '{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}';
    expect(render(t, { a: 1 })).toBe('A');
    expect(render(t, { a: 0, b: [1] })).toBe('B');
    expect(render(t, { a: '', b: [], c: {} })).toBe('C');
  });

  it('given range over a list and a map, then index/value pairs and sorted keys, with $ still the root', () => {
    expect(
      render('{{ range $i, $v := .l }}{{ $i }}={{ $v }}{{ $.sep }}{{ end }}', { l: ['x', 'y'], sep: ';' }),
    ).toBe('0=x;1=y;');
    expect(render('{{ range $k, $v := .m }}{{ $k }}:{{ . }} {{ end }}', { m: { b: 2, a: 1 } })).toBe(
      'a:1 b:2 ',
    );
    expect(render('{{ range .none }}x{{ else }}empty{{ end }}', {})).toBe('empty');
    expect(render('{{ range $i := until 3 }}{{ $i }}{{ end }}', {})).toBe('012');
  });

  it('given with, then dot becomes the value, or else runs when it is empty', () => {
    expect(render('{{ with .a }}{{ .b }}{{ end }}', { a: { b: 'in' } })).toBe('in');
    expect(render('{{ with .a }}x{{ else }}none{{ end }}', {})).toBe('none');
  });

  it('given variables, then := declares in the block and = assigns the outer one', () => {
    expect(render('{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ $y := 3 }}{{ end }}{{ $x }}', {})).toBe('2');
    expect(() => render('{{ if true }}{{ $y := 3 }}{{ end }}{{ $y }}', {})).toThrow('undefined variable $y');
  });

  it('given define, include and template, then named blocks render with the dot they are given', () => {
    const partials = '{{- define "name" -}}{{ .n | trunc 5 | trimSuffix "-" }}{{- end -}}';
    expect(render('[{{ include "name" . }}] [{{ template "name" . }}]', { n: 'abcd-efgh' }, partials)).toBe(
      '[abcd] [abcd]',
    );
    expect(render('{{ include "name" (dict "n" "xy") | upper }}', {}, partials)).toBe('XY');
  });

  it('given toYaml | nindent, then sorted YAML indented under a key on its own line', () => {
    expect(render('r:{{ toYaml .r | nindent 2 }}', { r: { limits: { memory: '256Mi' }, cpu: '100m' } })).toBe(
      'r:\n  cpu: 100m\n  limits:\n    memory: 256Mi',
    );
  });

  it('given default, quote, printf and b64enc in pipelines, then the piped value is the last argument', () => {
    expect(render('{{ .a | default "d" | quote }} {{ .b | default "d" }}', { b: 'set' })).toBe('"d" set');
    expect(render('{{ printf "%s-%d" .n 8003 }}', { n: 'svc' })).toBe('svc-8003');
    expect(render('{{ "pw" | b64enc }}', {})).toBe('cHc=');
  });

  it('given comparisons and parentheses, then eq/and/or/not and sub-pipelines with a field', () => {
    expect(render('{{ if and (eq .k "a" "b") (not .off) }}yes{{ end }}', { k: 'b', off: false })).toBe('yes');
    expect(render('{{ or .x .y "z" }}', {})).toBe('z');
    expect(render('{{ (dict "p" 7).p }}', {})).toBe('7');
  });

  it('given required or fail, then rendering stops with the message', () => {
    expect(() => render('{{ required "set .pw" .pw }}', {})).toThrow('set .pw');
    expect(() => render('{{ fail "nope" }}', {})).toThrow('nope');
  });

  it('given a method on the data (.Files.Get), then it is called with the arguments', () => {
    expect(
      render('{{ .Files.Get "f" | indent 2 }}', { Files: { Get: (f: Value) => `file ${String(f)}\nline` } }),
    ).toBe('  file f\n  line');
  });

  it('given an unclosed block or an unknown function, then a parse or exec error names it', () => {
    expect(() => render('{{ if .a }}x', {})).toThrow('if without end');
    expect(() => render('{{ nosuch 1 }}', {})).toThrow('function "nosuch" not defined');
  });
});
