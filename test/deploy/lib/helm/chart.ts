/**
 * Loads a Helm chart directory (with its subcharts under charts/), coalesces values the way Helm does,
 * and renders every template: a stand-in for `helm template` limited to what parse.ts understands.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { Executor, type Value } from './exec';
import { helmFunctions } from './funcs';
import { parseTemplate, type Node } from './parse';

type Values = Record<string, Value>;

interface ChartMeta {
  apiVersion: string;
  name: string;
  version: string;
  appVersion?: string;
  description?: string;
  type?: string;
  dependencies?: { name: string; version?: string; repository?: string; condition?: string }[];
}

export interface LoadedChart {
  dir: string;
  meta: ChartMeta;
  defaults: Values;
  subcharts: LoadedChart[];
}

export interface RenderOptions {
  releaseName?: string;
  namespace?: string;
  /** like --set / -f: merged over the chart's values.yaml */
  values?: Values;
}

export interface RenderedFile {
  /** e.g. orders-project/charts/orders/templates/deployment.yaml */
  name: string;
  text: string;
}

const isMap = (v: Value): v is Values => typeof v === 'object' && v !== null && !Array.isArray(v);

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Values from `over` win; maps merge deeply; a null in `over` deletes the key, as in Helm. */
export function coalesce(base: Values, over: Values): Values {
  const out: Values = clone(base);
  for (const [key, value] of Object.entries(over)) {
    const existing = out[key];
    if (value === null) delete out[key];
    else if (isMap(existing) && isMap(value)) out[key] = coalesce(existing, value);
    else out[key] = clone(value);
  }
  return out;
}

export function loadChart(dir: string): LoadedChart {
  const meta = parseYaml(readFileSync(path.join(dir, 'Chart.yaml'), 'utf8')) as ChartMeta;
  const valuesPath = path.join(dir, 'values.yaml');
  const defaults = existsSync(valuesPath)
    ? ((parseYaml(readFileSync(valuesPath, 'utf8')) as Values | null) ?? {})
    : {};
  const chartsDir = path.join(dir, 'charts');
  const subcharts = existsSync(chartsDir)
    ? readdirSync(chartsDir)
        .filter((name) => statSync(path.join(chartsDir, name)).isDirectory())
        .sort()
        .map((name) => loadChart(path.join(chartsDir, name)))
    : [];
  return { dir, meta, defaults, subcharts };
}

function templateFiles(chart: LoadedChart): string[] {
  const dir = path.join(chart.dir, 'templates');
  if (!existsSync(dir)) return [];
  const walk = (d: string): string[] =>
    readdirSync(d)
      .sort()
      .flatMap((name) => {
        const full = path.join(d, name);
        return statSync(full).isDirectory() ? walk(full) : [full];
      });
  return walk(dir);
}

/**
 * .Files.Glob: chart-relative path → content of every file matching the pattern (`*` within a directory, `**`
 * across them). Like Helm, it follows symbolic links and leaves out templates/ and the subcharts in charts/.
 */
function globFiles(dir: string, pattern: string): Record<string, string> {
  const regex = new RegExp(
    `^${pattern
      .split('**')
      .map((part) =>
        part
          .split('*')
          .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('[^/]*'),
      )
      .join('.*')}$`,
  );
  const walk = (relative: string): string[] =>
    readdirSync(path.join(dir, relative)).flatMap((name) => {
      const child = relative === '' ? name : `${relative}/${name}`;
      if (relative === '' && ['templates', 'charts'].includes(name)) return [];
      return statSync(path.join(dir, child)).isDirectory() ? walk(child) : [child];
    });
  return Object.fromEntries(
    walk('')
      .filter((file) => regex.test(file))
      .map((file) => [file, readFileSync(path.join(dir, file), 'utf8')]),
  );
}

interface Instance {
  chart: LoadedChart;
  /** the path Helm names templates by: parent/charts/child */
  prefix: string;
  values: Values;
}

/** Walks the chart tree, giving each enabled chart its coalesced values (parent values for it, globals). */
function instances(chart: LoadedChart, values: Values, prefix: string): Instance[] {
  const own: Instance = { chart, prefix, values };
  const children: Instance[] = [];
  for (const sub of chart.subcharts) {
    const dep = chart.meta.dependencies?.find((d) => d.name === sub.meta.name);
    if (!dep) throw new Error(`${prefix}: charts/${sub.meta.name} is not listed in Chart.yaml dependencies`);
    const fromParent = isMap(values[sub.meta.name]) ? (values[sub.meta.name] as Values) : {};
    let subValues = coalesce(sub.defaults, fromParent);
    const globals = coalesce(
      isMap(sub.defaults.global) ? sub.defaults.global : {},
      isMap(values.global) ? values.global : {},
    );
    subValues = { ...subValues, global: globals };
    // the parent sees the child's coalesced values under the child's name, as Helm does
    values[sub.meta.name] = subValues;
    if (dep.condition) {
      const enabled = dep.condition.split('.').reduce<Value>((v, k) => (isMap(v) ? v[k] : undefined), values);
      if (enabled === false) continue;
    }
    children.push(...instances(sub, subValues, `${prefix}/charts/${sub.meta.name}`));
  }
  return [own, ...children];
}

export function renderChart(chart: LoadedChart, options: RenderOptions = {}): RenderedFile[] {
  const values = coalesce(chart.defaults, options.values ?? {});
  const all = instances(chart, values, chart.meta.name);

  const defines = new Map<string, Node[]>();
  const parsed: { instance: Instance; name: string; nodes: Node[] }[] = [];
  for (const instance of all) {
    for (const file of templateFiles(instance.chart)) {
      const name = `${instance.prefix}/templates/${path.relative(path.join(instance.chart.dir, 'templates'), file)}`;
      const template = parseTemplate(readFileSync(file, 'utf8'), name);
      for (const [defineName, body] of template.defines) defines.set(defineName, body);
      defines.set(name, template.nodes); // Helm names every file as a template too
      parsed.push({ instance, name, nodes: template.nodes });
    }
  }

  // include and tpl call back into the executor that calls them
  const executor: Executor = new Executor(
    defines,
    helmFunctions({
      include: (name, dot) => executor.renderNamed(name, dot),
      tpl: (text, dot) => executor.render(parseTemplate(text, 'tpl').nodes, dot),
    }),
  );

  const release = {
    Name: options.releaseName ?? 'pizza',
    Namespace: options.namespace ?? 'default',
    Service: 'Helm',
    IsInstall: true,
    IsUpgrade: false,
    Revision: 1,
  };
  const rendered: RenderedFile[] = [];
  for (const { instance, name, nodes } of parsed) {
    const base = path.basename(name);
    if (base.startsWith('_') || base === 'NOTES.txt') continue; // partials and notes are not manifests
    const context = {
      Values: instance.values,
      Release: release,
      Chart: {
        Name: instance.chart.meta.name,
        Version: instance.chart.meta.version,
        AppVersion: instance.chart.meta.appVersion ?? '',
        Description: instance.chart.meta.description ?? '',
      },
      Capabilities: {
        KubeVersion: { Version: 'v1.30.0', Major: '1', Minor: '30' },
        APIVersions: { Has: () => true },
      },
      Template: { Name: name, BasePath: `${instance.prefix}/templates` },
      Files: {
        Get: (file: Value) => {
          const full = path.join(instance.chart.dir, String(file));
          return existsSync(full) ? readFileSync(full, 'utf8') : '';
        },
        Glob: (pattern: Value) => globFiles(instance.chart.dir, String(pattern)),
      },
    };
    try {
      rendered.push({ name, text: executor.render(nodes, context) });
    } catch (error) {
      throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return rendered;
}

export interface Manifest {
  source: string;
  doc: Record<string, unknown>;
}

/** Splits rendered files into YAML documents, failing on any that does not parse; empty documents drop out. */
export function manifests(files: readonly RenderedFile[]): Manifest[] {
  return files.flatMap((file) =>
    parseAllDocuments(file.text).flatMap((document) => {
      if (document.errors.length > 0) {
        throw new Error(`${file.name} does not parse as YAML: ${document.errors[0]?.message}\n${file.text}`);
      }
      const doc: unknown = document.toJS();
      return isMap(doc) ? [{ source: file.name, doc: doc as Record<string, unknown> }] : [];
    }),
  );
}
