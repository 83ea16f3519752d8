/**
 * charts/orders-project rendered with its values by the test renderer (lib/helm), then checked as Kubernetes
 * objects: kinds and API versions, names, images, probes on the contract's health paths, selectors that
 * match, env that resolves to existing ConfigMap/Secret keys, hooks, the CronJob, the Ingress routes.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FRONTEND, HEALTH_PATHS, LONG_RUNNING, processNamed, REPO_ROOT } from './lib/catalogue';
import { readDockerfile } from './lib/compose';
import { schemaIssues } from './lib/env-schema';
import { loadChart, manifests, renderChart, type RenderOptions } from './lib/helm/chart';
import {
  API_VERSIONS,
  DNS_1123_LABEL,
  DNS_1123_SUBDOMAIN,
  matchLabels,
  named,
  objects,
  ofKind,
  podTemplate,
  resolveEnv,
  selects,
  type Container,
  type K8sObject,
} from './lib/k8s';
import { NGINX_TEMPLATE, templateVariables } from './lib/nginx';
import { describeWithTool, runTool } from './lib/tools';

const CHART_DIR = path.join(REPO_ROOT, 'charts/orders-project');
const RELEASE = 'pizza';
const chart = loadChart(CHART_DIR);

function render(options: RenderOptions = {}): K8sObject[] {
  return objects(manifests(renderChart(chart, { releaseName: RELEASE, ...options })));
}

const all = render();
/** Every optional object on: monitoring, autoscaling with KEDA (the gateway keeps an HPA). */
const EVERYTHING_ON = {
  monitoring: { serviceMonitors: { enabled: true }, prometheusRule: { enabled: true } },
  keda: { enabled: true },
  otel: { endpoint: 'http://tempo.observability:4318' },
  ...Object.fromEntries(
    ['orders', 'delivery', 'notifications', 'simulator', 'frontend'].map((n) => [
      n,
      { autoscaling: { enabled: true } },
    ]),
  ),
};
const everythingOn = render({ values: EVERYTHING_ON });
const workloads = all.filter((o) => ['Deployment', 'StatefulSet', 'Job', 'CronJob'].includes(o.kind));
/** The services the chart deploys as Deployments (the refill scheduler is a CronJob in Kubernetes). */
const SERVICES = LONG_RUNNING.filter((p) => p.name !== 'refill-scheduler');

function mainContainer(obj: K8sObject): Container {
  const container = podTemplate(obj)?.spec.containers[0];
  if (!container) throw new Error(`${obj.kind}/${obj.metadata.name} has no container`);
  return container;
}

function portNumber(container: Container, port: string | number): number | undefined {
  return typeof port === 'number' ? port : container.ports?.find((p) => p.name === port)?.containerPort;
}

describe('Helm chart charts/orders-project', () => {
  it('renders the expected set of objects', () => {
    const count = (kind: string): number => ofKind(all, kind).length;
    expect(count('Deployment')).toBe(SERVICES.length + 1); // + frontend
    expect(count('StatefulSet')).toBe(2);
    expect(count('Job')).toBe(3);
    expect(count('CronJob')).toBe(1);
    expect(count('Ingress')).toBe(1);
    expect(count('Secret')).toBe(1);
    // the app config, the MongoDB scripts, and one per Grafana dashboard
    expect(count('ConfigMap')).toBe(
      2 + readdirSync(path.join(REPO_ROOT, 'deploy/grafana/dashboards')).length,
    );
    expect(count('PodDisruptionBudget')).toBe(count('Deployment') + count('StatefulSet'));
  });

  it.each([
    ['default values', all],
    ['everything switched on', everythingOn],
  ])(
    '%s: every object has the right apiVersion for its kind, a valid unique name and the release labels',
    (_values, objs) => {
      const seen = new Set<string>();
      for (const obj of objs) {
        const id = `${obj.kind}/${obj.metadata?.name}`;
        expect([id, obj.apiVersion]).toEqual([id, API_VERSIONS[obj.kind]]);
        expect(obj.metadata.name).toMatch(obj.kind === 'Service' ? DNS_1123_LABEL : DNS_1123_SUBDOMAIN);
        expect(obj.metadata.name.length).toBeLessThanOrEqual(obj.kind === 'Service' ? 63 : 253);
        expect(seen.has(id)).toBe(false);
        seen.add(id);
        expect([id, obj.metadata.labels?.['app.kubernetes.io/instance']]).toEqual([id, RELEASE]);
      }
    },
  );

  it('every container has a tagged image and resource requests and a memory limit', () => {
    for (const obj of workloads) {
      const pod = podTemplate(obj);
      for (const c of [...(pod?.spec.containers ?? []), ...(pod?.spec.initContainers ?? [])]) {
        const id = `${obj.metadata.name}/${c.name}`;
        expect([id, c.image]).toEqual([id, expect.stringMatching(/^[^\s:]+(:[^\s:]+)$/)]);
        expect([id, c.resources?.requests?.cpu, c.resources?.limits?.memory]).toEqual([
          id,
          expect.any(String),
          expect.any(String),
        ]);
      }
    }
  });

  it('Deployment and StatefulSet selectors match their pod labels, and each has a PodDisruptionBudget', () => {
    const pdbs = ofKind(all, 'PodDisruptionBudget');
    for (const obj of [...ofKind(all, 'Deployment'), ...ofKind(all, 'StatefulSet')]) {
      const labels = podTemplate(obj)?.metadata?.labels;
      expect([obj.metadata.name, selects(matchLabels(obj), labels)]).toEqual([obj.metadata.name, true]);
      expect([obj.metadata.name, pdbs.some((pdb) => selects(matchLabels(pdb), labels))]).toEqual([
        obj.metadata.name,
        true,
      ]);
    }
  });

  it('every Service selects a workload and targets one of its named ports', () => {
    for (const svc of ofKind(all, 'Service')) {
      const spec = svc.spec as {
        selector: Record<string, string>;
        ports: { port: number; targetPort: string }[];
      };
      const target = workloads.find((w) => selects(spec.selector, podTemplate(w)?.metadata?.labels));
      expect([svc.metadata.name, target !== undefined]).toEqual([svc.metadata.name, true]);
      if (!target) continue;
      for (const port of spec.ports) {
        expect([svc.metadata.name, portNumber(mainContainer(target), port.targetPort)]).toEqual([
          svc.metadata.name,
          expect.any(Number),
        ]);
      }
    }
  });

  it.each(SERVICES.map((p) => [p.name, p] as const))(
    '%s: a Deployment on its port with liveness and readiness probes on the contract paths',
    (name, proc) => {
      const deployment = named(all, 'Deployment', `${RELEASE}-${name}`);
      const container = mainContainer(deployment);
      expect(container.image).toBe(`pizza-events/${name}:1.0.0`);
      expect(portNumber(container, 'http')).toBe(proc.port);
      expect(container.livenessProbe?.httpGet?.path).toBe(HEALTH_PATHS.live);
      expect(container.readinessProbe?.httpGet?.path).toBe(HEALTH_PATHS.ready);
      expect(portNumber(container, container.readinessProbe?.httpGet?.port ?? '')).toBe(proc.port);
      const service = named(all, 'Service', `${RELEASE}-${name}`);
      expect((service.spec as { ports: { port: number }[] }).ports[0]?.port).toBe(proc.port);
      expect(podTemplate(deployment)?.metadata?.annotations?.['prometheus.io/path']).toBe(
        HEALTH_PATHS.metrics,
      );
    },
  );

  it.each(SERVICES.map((p) => [p.name, p] as const))(
    '%s: its environment resolves, through the ConfigMap and Secret, to every variable it requires',
    (name, proc) => {
      const env = resolveEnv(mainContainer(named(all, 'Deployment', `${RELEASE}-${name}`)), all);
      expect(proc.required.filter((v) => !env[v])).toEqual([]);
      expect(env.HTTP_PORT).toBe(String(proc.port));
    },
  );

  it.each(SERVICES.map((p) => [p.name, p] as const))(
    '%s: that environment passes the schema the process validates with (where exported)',
    async (name, proc) => {
      const env = resolveEnv(mainContainer(named(all, 'Deployment', `${RELEASE}-${name}`)), all);
      expect(await schemaIssues(proc, env)).toEqual([]);
    },
  );

  it('MONGO_URL names the application user, every member through the headless Service and rs0', () => {
    const env = resolveEnv(mainContainer(named(all, 'Deployment', `${RELEASE}-orders`)), all);
    const url = new URL(env.MONGO_URL ?? '');
    expect(url.protocol).toBe('mongodb:');
    expect(url.username).toBe('pizza');
    expect(url.host).toBe(`${RELEASE}-mongodb-0.${RELEASE}-mongodb-headless:27017`);
    expect(url.searchParams.get('replicaSet')).toBe('rs0');
    expect(url.searchParams.get('authSource')).toBe('pizza');
    named(all, 'Service', `${RELEASE}-mongodb-headless`);
    const redis = new URL(env.REDIS_URL ?? '');
    expect(named(all, 'Service', redis.hostname).kind).toBe('Service');
    expect((env.ADMIN_TOKEN ?? '').length).toBeGreaterThanOrEqual(16);
  });

  it('the frontend serves on 8080, probes /healthz and gets every nginx template variable', () => {
    const deployment = named(all, 'Deployment', `${RELEASE}-frontend`);
    const container = mainContainer(deployment);
    expect(portNumber(container, 'http')).toBe(FRONTEND.port);
    expect(container.livenessProbe?.httpGet?.path).toBe(FRONTEND.healthPath);
    expect(container.readinessProbe?.httpGet?.path).toBe(FRONTEND.healthPath);
    const env = { ...readDockerfile('frontend/Dockerfile').env, ...resolveEnv(container, all) };
    expect(templateVariables(readFileSync(NGINX_TEMPLATE, 'utf8')).filter((v) => !env[v])).toEqual([]);
    for (const [variable, service] of [
      ['ORDERS_UPSTREAM', 'orders'],
      ['NOTIFICATIONS_UPSTREAM', 'notifications'],
    ] as const) {
      const svc = named(all, 'Service', `${RELEASE}-${service}`);
      const port = (svc.spec as { ports: { port: number }[] }).ports[0]?.port;
      expect(env[variable]).toBe(`${svc.metadata.name}:${port}`);
    }
  });

  it('the Ingress routes / to the frontend, /api to orders and /ws to notifications, with long WebSocket timeouts', () => {
    const ingress = named(all, 'Ingress', `${RELEASE}-ingress`);
    const spec = ingress.spec as {
      rules: {
        http: {
          paths: {
            path: string;
            pathType: string;
            backend: { service: { name: string; port: { number: number } } };
          }[];
        };
      }[];
    };
    const routes = Object.fromEntries(
      (spec.rules[0]?.http.paths ?? []).map((p) => [
        p.path,
        `${p.backend.service.name}:${p.backend.service.port.number}`,
      ]),
    );
    expect(routes).toEqual({
      '/': `${RELEASE}-frontend:${FRONTEND.port}`,
      '/api': `${RELEASE}-orders:${processNamed('orders').port}`,
      '/ws': `${RELEASE}-notifications:${processNamed('notifications').port}`,
    });
    for (const backend of Object.values(routes)) {
      const [name, port] = backend.split(':');
      const svc = named(all, 'Service', name ?? '');
      expect((svc.spec as { ports: { port: number }[] }).ports.map((p) => String(p.port))).toContain(port);
    }
    expect(
      Number(ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/proxy-read-timeout']),
    ).toBeGreaterThanOrEqual(3600);
  });

  it('MongoDB is a StatefulSet running replica set rs0 with the keyfile, root user from the Secret, and storage', () => {
    const mongo = named(all, 'StatefulSet', `${RELEASE}-mongodb`);
    const container = mainContainer(mongo);
    expect(container.args?.join(' ')).toMatch(/--replSet rs0 --keyFile \/keyfile\/keyfile/);
    const env = resolveEnv(container, all);
    expect(env.MONGO_INITDB_ROOT_USERNAME).toBe('root');
    expect(env.MONGO_INITDB_ROOT_PASSWORD).toBeTruthy();
    expect((mongo.spec as { serviceName: string }).serviceName).toBe(`${RELEASE}-mongodb-headless`);
    expect((mongo.spec as { volumeClaimTemplates: unknown[] }).volumeClaimTemplates).toHaveLength(1);
    const keyfile = Buffer.from(
      named(all, 'Secret', `${RELEASE}-app-secrets`).data?.['mongo-keyfile'] ?? '',
      'base64',
    );
    expect(keyfile.toString()).toMatch(/^[A-Za-z0-9+/=]{6,1024}$/);
  });

  it('Redis is a StatefulSet with an append-only file on a volume', () => {
    const redis = named(all, 'StatefulSet', `${RELEASE}-redis`);
    expect(mainContainer(redis).args?.join(' ')).toContain('--appendonly yes');
    expect((redis.spec as { volumeClaimTemplates: unknown[] }).volumeClaimTemplates).toHaveLength(1);
  });

  it('hook Jobs run init-rs, then init-user, then the menu seed, after install and upgrade', async () => {
    const hooks = ofKind(all, 'Job').map((job) => ({
      name: job.metadata.name,
      hook: job.metadata.annotations?.['helm.sh/hook'],
      weight: Number(job.metadata.annotations?.['helm.sh/hook-weight']),
    }));
    expect(hooks.sort((a, b) => a.weight - b.weight).map((h) => h.name)).toEqual([
      `${RELEASE}-init-rs`,
      `${RELEASE}-init-user`,
      `${RELEASE}-seed-menu`,
    ]);
    for (const hook of hooks) expect(hook.hook).toBe('post-install,post-upgrade');

    const initRs = mainContainer(named(all, 'Job', `${RELEASE}-init-rs`));
    expect(initRs.command).toEqual(['bash', '/scripts/init-replica.sh']);
    expect(resolveEnv(initRs, all).MONGO_REPLICA_SET).toBe('rs0');
    const initUser = resolveEnv(mainContainer(named(all, 'Job', `${RELEASE}-init-user`)), all);
    expect(initUser.MONGO_APP_USER).toBe('pizza');

    const seed = mainContainer(named(all, 'Job', `${RELEASE}-seed-menu`));
    expect(seed.command).toEqual(['node', processNamed('seed').bundle]);
    const env = resolveEnv(seed, all);
    expect(processNamed('seed').required.filter((v) => !env[v])).toEqual([]);
    expect(await schemaIssues(processNamed('seed'), env)).toEqual([]);
  });

  it('the scripts the hooks run are the repository scripts', () => {
    const scripts = named(all, 'ConfigMap', `${RELEASE}-mongodb-scripts`).data ?? {};
    expect(scripts['init-replica.sh']?.trimEnd()).toBe(
      readFileSync(path.join(REPO_ROOT, 'scripts/init-replica.sh'), 'utf8').trimEnd(),
    );
    expect(scripts['init-user.sh']).toContain('createUser');
  });

  it('the stock-refill CronJob runs the one-shot refill every two hours with its environment', async () => {
    const cron = named(all, 'CronJob', `${RELEASE}-stock-refill`);
    expect((cron.spec as { schedule: string }).schedule).toBe('0 */2 * * *');
    expect((cron.spec as { concurrencyPolicy: string }).concurrencyPolicy).toBe('Forbid');
    const container = mainContainer(cron);
    expect(container.image).toBe('pizza-events/orders:1.0.0');
    expect(container.command).toEqual(['node', processNamed('stock-refill').bundle]);
    const env = resolveEnv(container, all);
    expect(processNamed('stock-refill').required.filter((v) => !env[v])).toEqual([]);
    expect(await schemaIssues(processNamed('stock-refill'), env)).toEqual([]);
  });

  describe('is configurable through values', () => {
    it("otel.endpoint, when set, sends every service's spans there; unset, none is traced", () => {
      const endpoint = 'http://tempo.observability:4318';
      const traced = render({ values: { otel: { endpoint } } });
      for (const service of SERVICES) {
        const deployment = named(traced, 'Deployment', `${RELEASE}-${service.name}`);
        expect([
          service.name,
          resolveEnv(mainContainer(deployment), traced).OTEL_EXPORTER_OTLP_ENDPOINT,
        ]).toEqual([service.name, endpoint]);
        const untraced = named(all, 'Deployment', `${RELEASE}-${service.name}`);
        expect(resolveEnv(mainContainer(untraced), all).OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
      }
    });

    it('a disabled subchart, Ingress or CronJob is not rendered', () => {
      const objs = render({
        values: {
          simulator: { enabled: false },
          ingress: { enabled: false },
          stockRefill: { enabled: false },
        },
      });
      expect(objs.some((o) => o.metadata.name === `${RELEASE}-simulator`)).toBe(false);
      expect(ofKind(objs, 'Ingress')).toHaveLength(0);
      expect(ofKind(objs, 'CronJob')).toHaveLength(0);
    });

    it('a registry and tag apply to every project image; replicas and schedule follow values', () => {
      const objs = render({
        values: {
          global: { image: { registry: 'registry.example/acme/', tag: '2.3.4' } },
          orders: { replicaCount: 4 },
          stockRefill: { schedule: '*/30 * * * *' },
        },
      });
      const orders = named(objs, 'Deployment', `${RELEASE}-orders`);
      expect(mainContainer(orders).image).toBe('registry.example/acme/pizza-events/orders:2.3.4');
      expect((orders.spec as { replicas: number }).replicas).toBe(4);
      const cron = named(objs, 'CronJob', `${RELEASE}-stock-refill`);
      expect(mainContainer(cron).image).toBe('registry.example/acme/pizza-events/orders:2.3.4');
      expect((cron.spec as { schedule: string }).schedule).toBe('*/30 * * * *');
    });

    it('three MongoDB members are all named in the replica set and the connection string', () => {
      const objs = render({ values: { mongodb: { replicas: 3 } } });
      const members = resolveEnv(mainContainer(named(objs, 'Job', `${RELEASE}-init-rs`)), objs).MONGO_MEMBERS;
      expect(members?.split(',')).toHaveLength(3);
      const url =
        resolveEnv(mainContainer(named(objs, 'Deployment', `${RELEASE}-delivery`)), objs).MONGO_URL ?? '';
      expect(url).toContain(`${RELEASE}-mongodb-2.${RELEASE}-mongodb-headless:27017`);
    });

    it('a missing secret stops rendering with the value to set', () => {
      expect(() => render({ values: { secrets: { adminToken: null } } })).toThrow(
        'secrets.adminToken is required',
      );
    });
  });
});

/** Where Helm is installed: `helm lint`, and `helm template` must render exactly what the in-repo renderer does. */
describeWithTool('helm', 'install Helm 3 to compare the in-repo renderer with it', { requiredInCi: false })(
  'Helm itself',
  () => {
    const byId = (objs: readonly K8sObject[]): Record<string, K8sObject> =>
      Object.fromEntries(objs.map((o) => [`${o.kind}/${o.metadata.name}`, o]));
    let dir = '';
    beforeAll(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'helm-values-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('helm lint passes', () => {
      const result = runTool('helm', ['lint', CHART_DIR]);
      expect([result.status, result.output]).toEqual([0, expect.any(String)]);
    });

    it.each([
      ['default values', {}],
      ['everything switched on', EVERYTHING_ON],
    ])('helm template with %s renders the same objects as the in-repo renderer', (name, values) => {
      const file = path.join(dir, `${name.replace(/\W+/g, '-')}.json`);
      writeFileSync(file, JSON.stringify(values)); // JSON is YAML: helm reads it with -f
      const result = runTool('helm', ['template', RELEASE, CHART_DIR, '-f', file]);
      expect([result.status, result.output]).toEqual([0, expect.any(String)]);
      const helm = byId(objects(manifests([{ name: 'helm template', text: result.stdout }])));
      expect(helm).toEqual(byId(render({ values })));
    });
  },
);
