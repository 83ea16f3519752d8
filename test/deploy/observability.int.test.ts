/**
 * Prometheus scrapes every process's /metrics; Grafana's provisioned dashboards are valid JSON whose
 * panels query only metrics the services export (the catalogue's list); Loki and Promtail configs parse.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { HEALTH_PATHS, LONG_RUNNING, QUERYABLE_SERIES, REPO_ROOT } from './lib/catalogue';
import { loadCompose } from './lib/compose';
import { metricNames } from './lib/promql';

const DEPLOY = path.join(REPO_ROOT, 'deploy');
const DASHBOARDS_DIR = path.join(DEPLOY, 'grafana/dashboards');

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

describe('Loki and Promtail', () => {
  it('Loki keeps 72 hours on the filesystem', () => {
    const loki = yamlFile('loki/loki.yaml') as {
      limits_config: { retention_period: string };
      compactor: { retention_enabled: boolean };
    };
    expect(loki.limits_config.retention_period).toBe('72h');
    expect(loki.compactor.retention_enabled).toBe(true);
  });

  it('Promtail pushes to Loki and keeps only containers labelled logging=promtail, which all app containers are', () => {
    const promtail = yamlFile('promtail/promtail.yaml') as {
      clients: { url: string }[];
      scrape_configs: { docker_sd_configs: { filters: { name: string; values: string[] }[] }[] }[];
    };
    expect(promtail.clients[0]?.url).toBe('http://loki:3100/loki/api/v1/push');
    const filters = promtail.scrape_configs.flatMap((s) => s.docker_sd_configs.flatMap((d) => d.filters));
    expect(filters).toContainEqual({ name: 'label', values: ['logging=promtail'] });
    const services = loadCompose().services;
    for (const name of [...LONG_RUNNING.map((p) => p.name), 'frontend']) {
      expect([name, services[name]?.labels]).toEqual([name, { logging: 'promtail' }]);
    }
  });
});
