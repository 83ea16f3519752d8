/**
 * The chart's Kubernetes-native operations: ServiceMonitors relabelled to the labels the dashboards and alert
 * rules read, the alert rules as a PrometheusRule and the dashboards as sidecar ConfigMaps (both from the files
 * compose uses), and autoscaling: KEDA ScaledObjects on consumer-group lag, or CPU HorizontalPodAutoscalers.
 */
import { lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { HEALTH_PATHS, LONG_RUNNING, REPO_ROOT } from './lib/catalogue';
import { loadChart, manifests, renderChart, type RenderOptions } from './lib/helm/chart';
import { matchLabels, named, objects, ofKind, selects, type K8sObject } from './lib/k8s';
import { consumerOf, relabel, type RelabelConfig } from './lib/operations';

const CHART_DIR = path.join(REPO_ROOT, 'charts/orders-project');
const RELEASE = 'pizza';
const chart = loadChart(CHART_DIR);
const SERVICES = LONG_RUNNING.filter((p) => p.name !== 'refill-scheduler').map((p) => p.name);
/** The services that consume on a group KEDA can scale them by; the gateway scales on CPU. */
const LAG_SCALED = ['orders', 'delivery', 'simulator'];
const DASHBOARDS_DIR = path.join(REPO_ROOT, 'deploy/grafana/dashboards');
const DASHBOARD_FILES = readdirSync(DASHBOARDS_DIR).filter((f) => f.endsWith('.json'));

function render(options: RenderOptions = {}): K8sObject[] {
  return objects(manifests(renderChart(chart, { releaseName: RELEASE, ...options })));
}

const autoscaled = Object.fromEntries(SERVICES.map((name) => [name, { autoscaling: { enabled: true } }]));

interface Trigger {
  type: string;
  metricType?: string;
  metadata: Record<string, unknown>;
}

function spec<T>(obj: K8sObject): T {
  return obj.spec as T;
}

describe('monitoring objects', () => {
  const monitored = render({
    values: {
      monitoring: {
        serviceMonitors: { enabled: true, labels: { release: 'kube-prometheus-stack' } },
        prometheusRule: { enabled: true, labels: { release: 'kube-prometheus-stack' } },
      },
    },
  });

  it('are off by default, except the dashboards (plain ConfigMaps)', () => {
    const all = render();
    expect(ofKind(all, 'ServiceMonitor')).toEqual([]);
    expect(ofKind(all, 'PrometheusRule')).toEqual([]);
    expect(ofKind(all, 'ConfigMap').filter((c) => c.metadata.labels?.grafana_dashboard)).toHaveLength(
      DASHBOARD_FILES.length,
    );
  });

  it.each(SERVICES)(
    '%s: a ServiceMonitor scrapes /metrics on its Service port, relabelled to job="pizza" and service=<name>',
    (name) => {
      const monitor = named(monitored, 'ServiceMonitor', `${RELEASE}-${name}`);
      expect(monitor.metadata.labels?.release).toBe('kube-prometheus-stack');
      const services = ofKind(monitored, 'Service').filter((s) =>
        selects(matchLabels(monitor), s.metadata.labels),
      );
      expect(services.map((s) => s.metadata.name)).toEqual([`${RELEASE}-${name}`]);
      const service = services[0] as K8sObject;
      const [endpoint, ...others] = spec<{
        endpoints: { port: string; path: string; relabelings: RelabelConfig[] }[];
      }>(monitor).endpoints;
      expect(others).toEqual([]);
      expect(spec<{ ports: { name: string }[] }>(service).ports.map((p) => p.name)).toContain(endpoint?.port);
      expect(endpoint?.path).toBe(HEALTH_PATHS.metrics);
      // the operator first sets job and service to the Kubernetes Service's name; the chart's rules follow
      const operatorDefaults = { job: service.metadata.name, service: service.metadata.name };
      const meta = Object.fromEntries(
        Object.entries(service.metadata.labels ?? {}).map(([k, v]) => [
          `__meta_kubernetes_service_label_${k.replace(/[^a-zA-Z0-9_]/g, '_')}`,
          v,
        ]),
      );
      const labels = relabel({ ...meta, ...operatorDefaults }, endpoint?.relabelings ?? []);
      expect({ job: labels.job, service: labels.service }).toEqual({ job: 'pizza', service: name });
    },
  );

  it('the job label is the one compose scrapes under and the dashboards and alert rules select', () => {
    const compose = parse(readFileSync(path.join(REPO_ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: { job_name: string; static_configs?: { labels?: { service?: string } }[] }[];
    };
    const job = compose.scrape_configs.find((j) => j.static_configs?.some((s) => s.labels?.service));
    expect(job?.job_name).toBe('pizza');
    expect(readFileSync(path.join(DASHBOARDS_DIR, 'http.json'), 'utf8')).toContain('up{job=\\"pizza\\"}');
    expect(readFileSync(path.join(REPO_ROOT, 'deploy/prometheus/alerts.yml'), 'utf8')).toContain(
      'job="pizza"',
    );
  });

  it('the frontend, which serves no /metrics, gets no ServiceMonitor', () => {
    expect(ofKind(monitored, 'ServiceMonitor').map((m) => m.metadata.name)).not.toContain(
      `${RELEASE}-frontend`,
    );
  });

  it('the PrometheusRule carries deploy/prometheus/alerts.yml unchanged', () => {
    const [rule, ...others] = ofKind(monitored, 'PrometheusRule');
    expect(others).toEqual([]);
    expect(rule?.metadata.labels?.release).toBe('kube-prometheus-stack');
    const source = parse(
      readFileSync(path.join(REPO_ROOT, 'deploy/prometheus/alerts.yml'), 'utf8'),
    ) as unknown;
    expect(rule?.spec).toEqual(source);
  });

  it.each(DASHBOARD_FILES)('%s is a ConfigMap labelled for the Grafana sidecar, unchanged', (file) => {
    const configMap = named(monitored, 'ConfigMap', `${RELEASE}-dashboard-${file.replace(/\.json$/, '')}`);
    expect(configMap.metadata.labels?.grafana_dashboard).toBe('1');
    expect(configMap.metadata.annotations?.grafana_folder).toBe('Pizza');
    expect(JSON.parse(configMap.data?.[file] ?? '')).toEqual(
      JSON.parse(readFileSync(path.join(DASHBOARDS_DIR, file), 'utf8')),
    );
  });

  it('the chart reads the rules and dashboards through links to deploy/, so there is one copy of each', () => {
    for (const [link, target] of [
      ['files/prometheus/alerts.yml', 'deploy/prometheus/alerts.yml'],
      ['files/dashboards', 'deploy/grafana/dashboards'],
    ] as const) {
      const full = path.join(CHART_DIR, link);
      expect([link, lstatSync(full).isSymbolicLink()]).toEqual([link, true]);
      expect(realpathSync(full)).toBe(realpathSync(path.join(REPO_ROOT, target)));
    }
  });

  it('values switch the dashboards off and rename the sidecar label', () => {
    const off = render({ values: { monitoring: { dashboards: { enabled: false } } } });
    expect(ofKind(off, 'ConfigMap').some((c) => c.metadata.name.includes('dashboard'))).toBe(false);
    const renamed = render({
      values: { monitoring: { dashboards: { label: 'dashboards', labelValue: 'pizza' } } },
    });
    const configMaps = ofKind(renamed, 'ConfigMap').filter((c) => c.metadata.name.includes('dashboard'));
    expect(configMaps.map((c) => c.metadata.labels?.dashboards)).toEqual(DASHBOARD_FILES.map(() => 'pizza'));
  });
});

describe('autoscaling', () => {
  it('is off by default: no autoscalers, and every Deployment keeps its replicaCount', () => {
    const all = render();
    expect(ofKind(all, 'HorizontalPodAutoscaler')).toEqual([]);
    expect(ofKind(all, 'ScaledObject')).toEqual([]);
    for (const d of ofKind(all, 'Deployment'))
      expect(spec<{ replicas?: number }>(d).replicas).toBeGreaterThan(0);
  });

  it('without KEDA, each service switched on gets a CPU HorizontalPodAutoscaler and leaves replicas to it', () => {
    const all = render({ values: autoscaled });
    expect(ofKind(all, 'ScaledObject')).toEqual([]);
    for (const name of SERVICES) {
      const hpa = spec<{
        scaleTargetRef: { apiVersion: string; kind: string; name: string };
        minReplicas: number;
        maxReplicas: number;
        metrics: {
          type: string;
          resource: { name: string; target: { type: string; averageUtilization: number } };
        }[];
      }>(named(all, 'HorizontalPodAutoscaler', `${RELEASE}-${name}`));
      expect(hpa.scaleTargetRef).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: `${RELEASE}-${name}`,
      });
      const deployment = named(all, 'Deployment', hpa.scaleTargetRef.name);
      expect(spec<{ replicas?: number }>(deployment).replicas).toBeUndefined();
      expect(hpa.minReplicas).toBeGreaterThanOrEqual(1);
      expect(hpa.maxReplicas).toBeGreaterThanOrEqual(hpa.minReplicas);
      expect(hpa.metrics).toEqual([
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
        },
      ]);
    }
    // a service left off keeps its fixed replicas
    const one = render({ values: { delivery: { autoscaling: { enabled: true } } } });
    expect(ofKind(one, 'HorizontalPodAutoscaler').map((h) => h.metadata.name)).toEqual([
      `${RELEASE}-delivery`,
    ]);
    expect(spec<{ replicas?: number }>(named(one, 'Deployment', `${RELEASE}-orders`)).replicas).toBe(2);
  });

  describe('with KEDA', () => {
    const all = render({ values: { ...autoscaled, keda: { enabled: true } } });

    it.each(LAG_SCALED)(
      '%s: a ScaledObject with a redis-streams lag trigger per stream its consumer group reads, and CPU',
      (name) => {
        const scaled = spec<{
          scaleTargetRef: { name: string };
          minReplicaCount: number;
          maxReplicaCount: number;
          triggers: Trigger[];
        }>(named(all, 'ScaledObject', `${RELEASE}-${name}`));
        expect(
          spec<{ replicas?: number }>(named(all, 'Deployment', scaled.scaleTargetRef.name)).replicas,
        ).toBe(undefined);
        expect(scaled.maxReplicaCount).toBeGreaterThanOrEqual(scaled.minReplicaCount);
        const { group, streams } = consumerOf(name);
        const lag = scaled.triggers.filter((t) => t.type === 'redis-streams');
        expect(lag.map((t) => t.metadata.stream)).toEqual(streams);
        for (const trigger of lag) {
          expect(trigger.metadata.consumerGroup).toBe(group);
          // lag mode: the scaler reads XINFO GROUPS (Redis 7+), not the pending list or the stream's length
          expect(trigger.metadata.lagCount).toMatch(/^[1-9]\d*$/);
          expect(trigger.metadata).not.toHaveProperty('pendingEntriesCount');
          expect(trigger.metadata).not.toHaveProperty('streamLength');
          const [host, port] = String(trigger.metadata.address).split(':');
          const redis = named(all, 'Service', host ?? '');
          expect(spec<{ ports: { port: number }[] }>(redis).ports.map((p) => String(p.port))).toContain(port);
        }
        expect(scaled.triggers.filter((t) => t.type !== 'redis-streams')).toEqual([
          { type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } },
        ]);
        // KEDA makes the HPA itself; a second one would fight it
        expect(
          all.some((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === `${RELEASE}-${name}`),
        ).toBe(false);
      },
    );

    it('every trigger metadata value is a string, as KEDA requires', () => {
      const values = ofKind(all, 'ScaledObject').flatMap((o) =>
        spec<{ triggers: Trigger[] }>(o).triggers.flatMap((t) => Object.values(t.metadata)),
      );
      expect(values.length).toBeGreaterThan(0);
      expect(values.filter((v) => typeof v !== 'string')).toEqual([]);
    });

    it('the notifications gateway, with no lag to scale on, keeps its CPU HorizontalPodAutoscaler', () => {
      expect(
        ofKind(all, 'ScaledObject')
          .map((o) => o.metadata.name)
          .sort(),
      ).toEqual(LAG_SCALED.map((n) => `${RELEASE}-${n}`).sort());
      named(all, 'HorizontalPodAutoscaler', `${RELEASE}-notifications`);
    });

    it('a disabled service gets neither a ServiceMonitor nor an autoscaler', () => {
      const objs = render({
        values: {
          ...autoscaled,
          keda: { enabled: true },
          monitoring: { serviceMonitors: { enabled: true } },
          simulator: { enabled: false, autoscaling: { enabled: true } },
        },
      });
      expect(objs.filter((o) => o.metadata.name === `${RELEASE}-simulator`)).toEqual([]);
      named(objs, 'ScaledObject', `${RELEASE}-delivery`);
    });

    it('KEDA alone scales nothing: each service still opts in', () => {
      const keda = render({ values: { keda: { enabled: true } } });
      expect(ofKind(keda, 'ScaledObject')).toEqual([]);
      expect(ofKind(keda, 'HorizontalPodAutoscaler')).toEqual([]);
    });
  });
});
