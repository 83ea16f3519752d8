/**
 * Prometheus scrapes every process's /metrics; Grafana's provisioned dashboards are valid JSON whose
 * panels query only metrics the services export (the catalogue's list); Loki's config parses, and Alloy's
 * parses and wires its pipeline (lib/alloy.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { HEALTH_PATHS, LONG_RUNNING, QUERYABLE_SERIES, REPO_ROOT } from './lib/catalogue';
import { AlloyReference, componentId, parseAlloy, references, type AlloyBlock } from './lib/alloy';
import { asList, effectiveEnvironment, loadCompose } from './lib/compose';
import { metricNames } from './lib/promql';

const DEPLOY = path.join(REPO_ROOT, 'deploy');
const DASHBOARDS_DIR = path.join(DEPLOY, 'grafana/dashboards');

/** The Alloy components the collector uses: their arguments, nested blocks, required ones, and exports. */
const ALLOY_COMPONENTS: Record<
  string,
  { attributes: string[]; blocks: string[]; required: string[]; exports: string[] }
> = {
  'discovery.docker': {
    attributes: ['host', 'port', 'refresh_interval', 'host_networking_host'],
    blocks: ['filter', 'tls_config', 'basic_auth'],
    required: ['host'],
    exports: ['targets'],
  },
  'discovery.relabel': {
    attributes: ['targets'],
    blocks: ['rule'],
    required: ['targets'],
    exports: ['output', 'rules'],
  },
  'loki.source.docker': {
    attributes: ['host', 'targets', 'forward_to', 'labels', 'relabel_rules', 'refresh_interval'],
    blocks: ['client'],
    required: ['host', 'targets', 'forward_to'],
    exports: [],
  },
  'loki.process': {
    attributes: ['forward_to'],
    blocks: [
      'stage.replace',
      'stage.json',
      'stage.logfmt',
      'stage.regex',
      'stage.template',
      'stage.labels',
      'stage.drop',
      'stage.static_labels',
    ],
    required: ['forward_to'],
    exports: ['receiver'],
  },
  'loki.write': {
    attributes: ['external_labels'],
    blocks: ['endpoint'],
    required: ['endpoint'],
    exports: ['receiver'],
  },
};

function yamlFile(relative: string): unknown {
  return parse(readFileSync(path.join(DEPLOY, relative), 'utf8'));
}

interface Target {
  refId?: string;
  expr?: string;
  datasource?: { type?: string; uid?: string };
}

interface Panel {
  id?: number;
  type: string;
  title?: string;
  datasource?: { type?: string; uid?: string };
  gridPos?: { x: number; y: number; w: number; h: number };
  targets?: Target[];
  panels?: Panel[];
}

interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating?: {
    list: { name: string; query?: { query?: string } | string; datasource?: { uid?: string } }[];
  };
}

function loadDashboards(): Record<string, Dashboard> {
  const files = readdirSync(DASHBOARDS_DIR).filter((f) => f.endsWith('.json'));
  return Object.fromEntries(
    files.map((f) => [
      f.replace(/\.json$/, ''),
      JSON.parse(readFileSync(path.join(DASHBOARDS_DIR, f), 'utf8')) as Dashboard,
    ]),
  );
}

function allPanels(panels: readonly Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
}

/** Every PromQL expression of a dashboard: panel targets and query variables. */
function promQueries(dashboard: Dashboard): string[] {
  const fromPanels = allPanels(dashboard.panels).flatMap((p) =>
    (p.targets ?? [])
      .filter((t) => (t.datasource ?? p.datasource)?.type === 'prometheus')
      .map((t) => t.expr ?? ''),
  );
  const fromVariables = (dashboard.templating?.list ?? []).map((v) => {
    const q = typeof v.query === 'string' ? v.query : (v.query?.query ?? '');
    return q.replace(/^label_values\((.*),\s*\w+\)$/, '$1');
  });
  return [...fromPanels, ...fromVariables].filter((q) => q !== '');
}

interface Datasource {
  uid: string;
  type: string;
  url: string;
}

describe('Prometheus', () => {
  const config = yamlFile('prometheus/prometheus.yml') as {
    rule_files?: string[];
    scrape_configs: { job_name: string; metrics_path?: string; static_configs: { targets: string[] }[] }[];
  };

  it('scrapes /metrics of every long-running process at its compose name and port', () => {
    const scraped = config.scrape_configs
      .filter((job) => (job.metrics_path ?? '/metrics') === HEALTH_PATHS.metrics)
      .flatMap((job) => job.static_configs.flatMap((s) => s.targets));
    const services = loadCompose().services;
    for (const proc of LONG_RUNNING) {
      expect(scraped).toContain(`${proc.name}:${proc.port}`);
      expect(services[proc.name]).toBeDefined();
    }
  });

  it('runs Prometheus 3 with its config and the alert rules it loads mounted side by side', () => {
    const prometheus = loadCompose().services.prometheus;
    expect(prometheus?.image).toMatch(/^prom\/prometheus:v3\.\d+\.\d+$/);
    expect(asList(prometheus?.command)).toContain('--config.file=/etc/prometheus/prometheus.yml');
    expect((prometheus?.volumes ?? []).map(String)).toContain('./deploy/prometheus:/etc/prometheus:ro');
    expect(config.rule_files).toEqual(['alerts.yml']);
    for (const file of config.rule_files ?? []) {
      expect(existsSync(path.join(DEPLOY, 'prometheus', file))).toBe(true);
    }
  });

  it('labels each target with the service name the dashboards filter on', () => {
    const pizza = config.scrape_configs.find((job) => job.job_name === 'pizza');
    const labelled = (pizza?.static_configs ?? []) as { targets: string[]; labels?: { service?: string } }[];
    for (const proc of LONG_RUNNING) {
      const entry = labelled.find((s) => s.targets.includes(`${proc.name}:${proc.port}`));
      expect(entry?.labels?.service).toBe(proc.name);
    }
  });
});

describe('Grafana', () => {
  const dashboards = loadDashboards();
  const datasources = (
    yamlFile('grafana/provisioning/datasources/datasources.yaml') as { datasources: Datasource[] }
  ).datasources;
  const datasourceUids = new Set(datasources.map((d) => d.uid));

  it('provisions the Prometheus and Loki datasources at their compose addresses', () => {
    expect(datasources.find((d) => d.type === 'prometheus')?.url).toBe('http://prometheus:9090');
    expect(datasources.find((d) => d.type === 'loki')?.url).toBe('http://loki:3100');
  });

  it('loads the dashboards from the folder compose mounts', () => {
    const providers = (
      yamlFile('grafana/provisioning/dashboards/dashboards.yaml') as {
        providers: { options: { path: string } }[];
      }
    ).providers;
    const grafana = loadCompose().services.grafana;
    const mounts = (grafana?.volumes ?? []).map(String);
    for (const provider of providers) {
      expect(mounts).toContain(`./deploy/grafana/dashboards:${provider.options.path}:ro`);
    }
  });

  it('has the pipeline, HTTP and WebSocket dashboards, each with its own uid', () => {
    expect(Object.keys(dashboards).sort()).toEqual(['http', 'pipeline', 'websocket']);
    const uids = Object.values(dashboards).map((d) => d.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const d of Object.values(dashboards)) expect(d.title).toBeTruthy();
  });

  it.each(Object.keys(loadDashboards()))(
    '%s: every panel has a known datasource, targets and a place',
    (name) => {
      const panels = allPanels(dashboards[name]?.panels ?? []).filter((p) => p.type !== 'row');
      expect(panels.length).toBeGreaterThan(3);
      const ids = panels.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const panel of panels) {
        expect([panel.title, datasourceUids.has(panel.datasource?.uid ?? '')]).toEqual([panel.title, true]);
        expect([panel.title, (panel.targets ?? []).length > 0]).toEqual([panel.title, true]);
        for (const target of panel.targets ?? [])
          expect([panel.title, target.expr]).toEqual([panel.title, expect.any(String)]);
        const pos = panel.gridPos;
        expect(pos !== undefined && pos.x >= 0 && pos.x + pos.w <= 24 && pos.h > 0).toBe(true);
      }
    },
  );

  it.each(Object.keys(loadDashboards()))(
    '%s: every metric its PromQL reads is one the services export',
    (name) => {
      const dashboard = dashboards[name];
      const unknown = promQueries(dashboard as Dashboard).flatMap((q) =>
        metricNames(q)
          .filter((m) => !QUERYABLE_SERIES.has(m))
          .map((m) => `${m} in ${q}`),
      );
      expect(unknown).toEqual([]);
    },
  );

  it('the pipeline dashboard shows throughput, lag, retries and dead letters', () => {
    const used = new Set(promQueries(dashboards.pipeline as Dashboard).flatMap(metricNames));
    for (const metric of [
      'bus_events_published_total',
      'bus_events_consumed_total',
      'bus_group_lag',
      'bus_group_pending',
      'bus_events_retried_total',
      'bus_events_dead_lettered_total',
    ]) {
      expect(used).toContain(metric);
    }
  });

  it('the HTTP dashboard shows rate, errors and latency from the request histogram', () => {
    const queries = promQueries(dashboards.http as Dashboard);
    expect(
      queries.some(
        (q) => q.includes('http_request_duration_seconds_count') && q.includes('status_code=~"5..'),
      ),
    ).toBe(true);
    expect(
      queries.some(
        (q) => q.includes('histogram_quantile') && q.includes('http_request_duration_seconds_bucket'),
      ),
    ).toBe(true);
  });

  it('the WebSocket dashboard shows connections, pushes and push latency', () => {
    const used = new Set(promQueries(dashboards.websocket as Dashboard).flatMap(metricNames));
    for (const metric of [
      'ws_connections_open',
      'ws_messages_pushed_total',
      'ws_push_latency_seconds_bucket',
    ]) {
      expect(used).toContain(metric);
    }
  });
});

describe('Loki and Alloy', () => {
  it('Loki keeps 72 hours on the filesystem', () => {
    const loki = yamlFile('loki/loki.yaml') as {
      limits_config: { retention_period: string };
      compactor: { retention_enabled: boolean };
    };
    expect(loki.limits_config.retention_period).toBe('72h');
    expect(loki.compactor.retention_enabled).toBe(true);
  });

  describe('Grafana Alloy (deploy/alloy/config.alloy, checked without the alloy binary)', () => {
    const components = parseAlloy(readFileSync(path.join(DEPLOY, 'alloy/config.alloy'), 'utf8'));
    const component = (name: string): AlloyBlock => {
      const found = components.filter((c) => c.name === name);
      expect([name, found.length]).toEqual([name, 1]);
      return found[0] as AlloyBlock;
    };

    it('uses only known components, each with known arguments, its required ones set, and no label twice', () => {
      const ids = components.map(componentId);
      expect(new Set(ids).size).toBe(ids.length);
      for (const c of components) {
        const schema = ALLOY_COMPONENTS[c.name];
        expect([c.name, schema !== undefined, c.label !== undefined]).toEqual([c.name, true, true]);
        if (!schema) continue;
        const unknown = [
          ...Object.keys(c.attributes).filter((a) => !schema.attributes.includes(a)),
          ...c.blocks.map((b) => b.name).filter((b) => !schema.blocks.includes(b)),
        ];
        expect([c.name, unknown]).toEqual([c.name, []]);
        const missing = schema.required.filter(
          (a) => !(a in c.attributes) && !c.blocks.some((b) => b.name === a),
        );
        expect([c.name, missing]).toEqual([c.name, []]);
      }
    });

    it('every reference names a declared component and one of its exports', () => {
      const exportsOf = new Map(
        components.map((c) => [componentId(c), ALLOY_COMPONENTS[c.name]?.exports ?? []]),
      );
      const refs = components.flatMap((c) => [
        ...Object.values(c.attributes).flatMap(references),
        ...c.blocks.flatMap((b) => Object.values(b.attributes).flatMap(references)),
      ]);
      expect(refs.length).toBeGreaterThanOrEqual(4);
      for (const ref of refs) {
        const owner = ref.path.slice(0, ref.path.lastIndexOf('.'));
        const exported = ref.path.slice(ref.path.lastIndexOf('.') + 1);
        expect([ref.path, exportsOf.get(owner)]).toEqual([ref.path, expect.arrayContaining([exported])]);
      }
    });

    it('reads the containers labelled logging=loki, which all app containers are, from the Docker socket compose mounts', () => {
      const docker = component('discovery.docker');
      const filters = docker.blocks.filter((b) => b.name === 'filter').map((b) => b.attributes);
      expect(filters).toContainEqual({ name: 'label', values: ['logging=loki'] });
      const source = component('loki.source.docker');
      for (const host of [docker.attributes.host, source.attributes.host]) {
        expect(host).toBe('unix:///var/run/docker.sock');
      }
      expect(source.attributes.targets).toEqual(new AlloyReference(`${componentId(docker)}.targets`));
      const services = loadCompose().services;
      expect((services.alloy?.volumes ?? []).map(String)).toEqual(
        expect.arrayContaining([
          './deploy/alloy/config.alloy:/etc/alloy/config.alloy:ro',
          '/var/run/docker.sock:/var/run/docker.sock:ro',
        ]),
      );
      expect(asList(services.alloy?.command)).toContain('/etc/alloy/config.alloy');
      for (const name of [...LONG_RUNNING.map((p) => p.name), 'frontend']) {
        expect([name, services[name]?.labels]).toEqual([name, { logging: 'loki' }]);
      }
    });

    it('labels each stream with service, project and container, as Promtail did, and the pino level by name', () => {
      const relabel = component('discovery.relabel');
      const targets = relabel.blocks
        .filter((b) => b.name === 'rule')
        .map((b) => [(b.attributes.source_labels as string[])[0], b.attributes.target_label]);
      expect(targets).toEqual([
        ['__meta_docker_container_label_com_docker_compose_service', 'service'],
        ['__meta_docker_container_label_com_docker_compose_project', 'project'],
        ['__meta_docker_container_name', 'container'],
      ]);
      expect(component('loki.source.docker').attributes.relabel_rules).toEqual(
        new AlloyReference(`${componentId(relabel)}.rules`),
      );
      const stages = component('loki.process').blocks;
      expect(stages.map((b) => b.name)).toEqual([
        'stage.replace',
        'stage.json',
        'stage.template',
        'stage.labels',
      ]);
      const template = String(stages[2]?.attributes.template);
      for (const [number, name] of [
        ['30', 'info'],
        ['50', 'error'],
      ]) {
        expect(template).toContain(`eq .Value "${number}" }}${name}`);
      }
      expect(stages[3]?.attributes.values).toEqual({ level: '' });
    });

    it('redacts every token= value of a line before anything else reads it, and leaves the rest of the line', () => {
      const replace = component('loki.process').blocks[0];
      expect(replace?.name).toBe('stage.replace');
      expect(replace?.attributes.source).toBeUndefined(); // the log line itself
      // Loki's replace stage: every capture group of every match becomes `replace`. This expression is plain
      // RE2 that JavaScript reads the same way.
      const expression = new RegExp(String(replace?.attributes.expression), 'g');
      const redact = (line: string) =>
        line.replace(
          expression,
          (match: string, group: string) =>
            match.slice(0, match.length - group.length) + String(replace?.attributes.replace),
        );
      const secret = 'q7RbX2k9LmN4pT';
      const nginxError =
        `2026/01/01 10:00:00 [error] 29#29: *1 connect() failed (111: Connection refused) while connecting to ` +
        `upstream, client: 10.0.0.1, request: "GET /api/v1/orders/o-1?token=${secret} HTTP/1.1", ` +
        `upstream: "http://10.0.0.2:8003/api/v1/orders/o-1?token=${secret}", host: "pizza"`;
      expect(redact(nginxError)).toBe(nginxError.replaceAll(secret, 'REDACTED'));
      const pino = JSON.stringify({
        level: 30,
        msg: `GET /orders/o-1?a=1&token=${secret}&b=2`,
        quoted: `"token=${secret}"`,
      });
      expect(JSON.parse(redact(pino))).toEqual({
        level: 30,
        msg: 'GET /orders/o-1?a=1&token=REDACTED&b=2',
        quoted: '"token=REDACTED"',
      });
      const untouched = '{"level":30,"msg":"request","path":"/api/v1/orders/o-1","status":200}';
      expect(redact(untouched)).toBe(untouched);
    });

    it('pushes to Loki, after the pipeline', () => {
      const write = component('loki.write');
      expect(write.blocks.find((b) => b.name === 'endpoint')?.attributes.url).toBe(
        'http://loki:3100/loki/api/v1/push',
      );
      expect(component('loki.source.docker').attributes.forward_to).toEqual([
        new AlloyReference(`${componentId(component('loki.process'))}.receiver`),
      ]);
      expect(component('loki.process').attributes.forward_to).toEqual([
        new AlloyReference(`${componentId(write)}.receiver`),
      ]);
    });

    it('the parser rejects what Alloy would', () => {
      expect(() => parseAlloy('loki.write "x" { endpoint { url = "a" }')).toThrow('end of file');
      expect(() => parseAlloy('loki.write "x" { url = "unterminated }')).toThrow();
      expect(() => parseAlloy('a "x" { b = 1 b = 2 }')).toThrow('set twice');
      expect(() => parseAlloy('x = 1')).toThrow('outside a block');
    });
  });
});

describe('Tempo and trace links', () => {
  const compose = loadCompose().services;
  const tempoConfig = yamlFile('tempo/tempo.yaml') as {
    server: { http_listen_port: number };
    distributor: { receivers: { otlp: { protocols: { http: { endpoint: string } } } } };
  };
  const datasources = (
    yamlFile('grafana/provisioning/datasources/datasources.yaml') as {
      datasources: (Datasource & { jsonData?: Record<string, unknown> })[];
    }
  ).datasources;

  it('runs a pinned Tempo with its config mounted, receiving OTLP/HTTP on 4318', () => {
    const tempo = compose.tempo;
    expect(tempo?.image).toMatch(/^grafana\/tempo:\d+\.\d+\.\d+$/);
    expect((tempo?.volumes ?? []).map(String)).toContain(
      './deploy/tempo/tempo.yaml:/etc/tempo/tempo.yaml:ro',
    );
    expect(asList(tempo?.command)).toEqual(['-config.file=/etc/tempo/tempo.yaml']);
    expect(tempoConfig.distributor.receivers.otlp.protocols.http.endpoint).toBe('0.0.0.0:4318');
  });

  it.each(LONG_RUNNING.map((p) => p.name))('%s sends its spans to Tempo', (name) => {
    const service = compose[name];
    if (!service) throw new Error(`docker-compose.yaml has no service ${name}`);
    expect(effectiveEnvironment(service).OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://tempo:4318');
  });

  it('provisions Tempo for Grafana, and links a log line to its trace by trace_id', () => {
    const tempo = datasources.find((d) => d.type === 'tempo');
    expect(tempo).toMatchObject({ uid: 'tempo', url: `http://tempo:${tempoConfig.server.http_listen_port}` });
    const loki = datasources.find((d) => d.type === 'loki');
    const derived = (loki?.jsonData?.derivedFields ?? []) as {
      name: string;
      matcherRegex: string;
      datasourceUid: string;
      url: string;
    }[];
    const traceLink = derived.find((f) => f.datasourceUid === tempo?.uid);
    expect(traceLink?.url).toBe('$${__value.raw}');
    // The regex finds the id in a pino line as the logger writes it.
    const line = JSON.stringify({
      level: 'info',
      trace_id: 'ab'.repeat(16),
      span_id: 'cd'.repeat(8),
      msg: 'x',
    });
    expect(new RegExp(traceLink?.matcherRegex ?? '$^').exec(line)?.[1]).toBe('ab'.repeat(16));
  });
});
