/**
 * docker-compose.yaml, checked without a Docker engine: what each container gets (env, ports, health
 * checks, start order) against the catalogue of deployed processes and against the images' Dockerfiles.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ALL_PROCESSES, FRONTEND, HEALTH_PATHS, LONG_RUNNING, ONE_SHOT, REPO_ROOT } from './lib/catalogue';
import {
  asList,
  defaultOf,
  dependsOn,
  dockerfileOf,
  effectiveEnvironment,
  envFiles,
  loadCompose,
  readDockerfile,
  repoPathExists,
  type ComposeService,
} from './lib/compose';
import { schemaIssues } from './lib/env-schema';
import { NGINX_TEMPLATE, templateVariables } from './lib/nginx';

const compose = loadCompose();
const services = compose.services;

function service(name: string): ComposeService {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yaml has no service ${name}`);
  return found;
}

function healthcheckUrl(svc: ComposeService): URL | undefined {
  const words = asList(svc.healthcheck?.test).flatMap((word) => word.match(/https?:\/\/\S+/g) ?? []);
  return words.length > 0 ? new URL(words[words.length - 1] ?? '') : undefined;
}

/** What the container runs: compose's command/entrypoint, else the image's CMD. */
function runs(svc: ComposeService): string[] {
  const own = [...asList(svc.entrypoint), ...asList(svc.command)];
  if (own.length > 0) return own;
  const dockerfile = dockerfileOf(svc);
  return dockerfile ? readDockerfile(dockerfile).cmd : [];
}

/** Every variable any process understands: a variable outside this set is a typo. */
const KNOWN_VARIABLES = new Set(ALL_PROCESSES.flatMap((p) => [...p.required, ...p.optional]));

describe('docker-compose.yaml', () => {
  it('deploys every service the local launcher runs', async () => {
    const { SERVICE_NAMES } = await import('@pizza/stack');
    const deployed = LONG_RUNNING.map((p) => p.name);
    expect(SERVICE_NAMES.filter((name) => !deployed.includes(name))).toEqual([]);
    for (const name of SERVICE_NAMES) expect(services[name]).toBeDefined();
  });

  it.each(LONG_RUNNING.map((p) => [p.name, p] as const))(
    '%s listens on its default port with health checks on the readiness path',
    (_name, proc) => {
      const svc = service(proc.name);
      const env = effectiveEnvironment(svc);
      expect(env.HTTP_PORT).toBe(String(proc.port));

      const test = svc.healthcheck?.test;
      expect(Array.isArray(test) && test.every((word) => typeof word === 'string')).toBe(true);
      const url = healthcheckUrl(svc);
      expect(url?.pathname).toBe(HEALTH_PATHS.ready);
      expect(url?.port).toBe(String(proc.port));

      const dockerfile = readDockerfile(dockerfileOf(svc) ?? '');
      expect(dockerfile.env.HTTP_PORT).toBe(String(proc.port));
      expect(dockerfile.runtime).toContain(`EXPOSE ${proc.port}`);
      expect(dockerfile.runtime.find((l) => l.startsWith('HEALTHCHECK'))).toContain(
        `'${HEALTH_PATHS.ready}'`,
      );
    },
  );

  it.each(ALL_PROCESSES.map((p) => [p.name, p] as const))(
    '%s gets every variable it requires',
    (_name, proc) => {
      const env = effectiveEnvironment(service(proc.name));
      const missing = proc.required.filter((name) => !env[name]);
      expect(missing).toEqual([]);
      const unknown = Object.keys(env).filter((name) => !KNOWN_VARIABLES.has(name));
      expect(unknown).toEqual([]);
    },
  );

  it.each(ALL_PROCESSES.map((p) => [p.name, p] as const))(
    '%s: its environment passes the schema the process validates with (where exported)',
    async (_name, proc) => {
      const issues = await schemaIssues(proc, effectiveEnvironment(service(proc.name)));
      expect(issues).toEqual([]);
    },
  );

  it.each(ALL_PROCESSES.map((p) => [p.name, p] as const))(
    '%s runs its bundle from an image built for its workspace',
    (_name, proc) => {
      const svc = service(proc.name);
      expect(runs(svc)).toEqual(expect.arrayContaining(['node', proc.bundle]));
      const dockerfile = dockerfileOf(svc) ?? '';
      expect(dockerfile).toBe(path.join(proc.workspace, 'Dockerfile'));
    },
  );

  it.each(
    [...new Set(ALL_PROCESSES.map((p) => p.workspace))].map((ws) => [path.join(ws, 'Dockerfile')] as const),
  )('%s: multi-stage, production dependencies of one workspace, non-root, NODE_ENV=production', (file) => {
    const workspace = path.dirname(file);
    const dockerfile = readDockerfile(file);
    expect(dockerfile.text.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile.text).toContain(`npm run build --workspace ${workspace}`);
    expect(dockerfile.runtime).toContainEqual(
      expect.stringMatching(new RegExp(`npm ci --omit=dev .*--workspace ${workspace}`)),
    );
    expect(dockerfile.env.NODE_ENV).toBe('production');
    expect(dockerfile.runtime).toContain('USER node');
    // an image that only runs one-shot tools serves nothing to check
    const serves = LONG_RUNNING.some((p) => p.workspace === workspace);
    expect(dockerfile.runtime.some((l) => l.startsWith('HEALTHCHECK'))).toBe(serves);
  });

  it('every image runs one current Node LTS, each bundle targets it, and development still allows Node 20.19', () => {
    const workspaces = [...new Set([...ALL_PROCESSES.map((p) => p.workspace), 'frontend'])];
    const majors = workspaces.map((ws) => {
      const arg = readDockerfile(path.join(ws, 'Dockerfile')).text.match(/^ARG NODE_IMAGE=node:(\d+)-/m);
      return [ws, Number(arg?.[1])] as const;
    });
    const major = majors[0]?.[1] ?? 0;
    expect(majors).toEqual(majors.map(([ws]) => [ws, major]));
    // even majors are the LTS lines; 20 reached its end of life in April 2026
    expect(major % 2 === 0 && major >= 22).toBe(true);
    for (const ws of new Set(ALL_PROCESSES.map((p) => p.workspace))) {
      const build = (
        JSON.parse(readFileSync(path.join(REPO_ROOT, ws, 'package.json'), 'utf8')) as {
          scripts: { build: string };
        }
      ).scripts.build;
      expect([ws, build.match(/--target=(\S+)/)?.[1]]).toEqual([ws, `node${major}`]);
    }
    const root = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    expect(root.engines.node).toBe('>=20.19');
  });

  it('one-shot jobs do not restart, and long-running ones do', () => {
    for (const proc of ONE_SHOT) expect([proc.name, service(proc.name).restart]).toEqual([proc.name, 'no']);
    for (const proc of LONG_RUNNING) {
      expect([proc.name, service(proc.name).restart]).toEqual([proc.name, 'unless-stopped']);
    }
  });

  it('every depends_on names a service, and its condition is one the target can meet', () => {
    for (const [name, svc] of Object.entries(services)) {
      for (const [target, condition] of Object.entries(dependsOn(svc))) {
        const dep = services[target];
        expect([name, target, dep !== undefined]).toEqual([name, target, true]);
        if (dep === undefined) continue;
        expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(condition);
        if (condition === 'service_healthy') {
          const dockerfile = dockerfileOf(dep);
          const hasHealthcheck =
            dep.healthcheck?.test !== undefined ||
            (dockerfile !== undefined &&
              readDockerfile(dockerfile).runtime.some((l) => l.startsWith('HEALTHCHECK')));
          expect([target, hasHealthcheck]).toEqual([target, true]);
        }
        if (condition === 'service_completed_successfully')
          expect([target, dep.restart]).toEqual([target, 'no']);
        // a service started by default must not wait on one that only runs on request
        if (!svc.profiles) expect([name, target, dep.profiles]).toEqual([name, target, undefined]);
      }
    }
  });

  it('starts in order: mongo → init → seed → orders; services wait for Redis and the replica set', () => {
    expect(dependsOn(service('mongo-init'))).toEqual({ mongo: 'service_healthy' });
    expect(dependsOn(service('seed'))).toMatchObject({ 'mongo-init': 'service_completed_successfully' });
    expect(dependsOn(service('orders'))).toMatchObject({
      seed: 'service_completed_successfully',
      'mongo-init': 'service_completed_successfully',
      redis: 'service_healthy',
    });
    for (const proc of LONG_RUNNING) {
      const deps = dependsOn(service(proc.name));
      expect([proc.name, deps.redis]).toEqual([proc.name, 'service_healthy']);
      if (proc.required.includes('MONGO_URL')) {
        expect([proc.name, deps['mongo-init']]).toEqual([proc.name, 'service_completed_successfully']);
      }
    }
  });

  it('every env_file and secret file exists as a committed envs/default.* file', () => {
    const referenced = [
      ...Object.values(services).flatMap(envFiles),
      ...Object.values(compose.secrets ?? {}).flatMap((s) => (s.file ? [path.normalize(s.file)] : [])),
    ];
    expect(referenced.length).toBeGreaterThan(0);
    for (const file of new Set(referenced)) {
      expect(file.startsWith('envs/')).toBe(true);
      expect([file, repoPathExists(defaultOf(file))]).toEqual([file, true]);
    }
    const gitignore = readFileSync(path.join(REPO_ROOT, '.gitignore'), 'utf8');
    expect(gitignore).toContain('envs/*.env');
    expect(gitignore).toContain('envs/mongo-keyfile');
  });

  it('every bind-mounted repository file exists', () => {
    for (const [name, svc] of Object.entries(services)) {
      for (const volume of svc.volumes ?? []) {
        const source = typeof volume === 'string' ? (volume.split(':')[0] ?? '') : (volume.source ?? '');
        if (!source.startsWith('./')) continue; // named volumes and host paths such as the Docker socket
        expect([name, source, repoPathExists(source)]).toEqual([name, source, true]);
      }
    }
  });

  it('MongoDB runs replica set rs0 with a keyfile and root credentials; init-replica.sh initiates it', () => {
    const mongo = service('mongo');
    expect(runs(mongo).join(' ')).toMatch(/--replSet rs0 .*--keyFile \S+/);
    const env = effectiveEnvironment(mongo);
    expect(env.MONGO_INITDB_ROOT_USERNAME).toBeTruthy();
    expect(env.MONGO_INITDB_ROOT_PASSWORD).toBeTruthy();
    const init = service('mongo-init');
    expect(runs(init).join(' ')).toContain('/scripts/init-replica.sh');
    expect(effectiveEnvironment(init).MONGO_REPLICA_SET).toBe('rs0');

    // the services connect as that root user, to that replica set
    const url = new URL(effectiveEnvironment(service('orders')).MONGO_URL ?? '');
    expect(url.searchParams.get('replicaSet')).toBe('rs0');
    expect(decodeURIComponent(url.username)).toBe(env.MONGO_INITDB_ROOT_USERNAME);
    expect(decodeURIComponent(url.password)).toBe(env.MONGO_INITDB_ROOT_PASSWORD);

    const keyfile = readFileSync(path.join(REPO_ROOT, 'envs/default.mongo-keyfile'), 'utf8').replace(
      /\s/g,
      '',
    );
    expect(keyfile).toMatch(/^[A-Za-z0-9+/=]{6,1024}$/);
  });

  it('Redis keeps an append-only file', () => {
    expect(runs(service('redis')).join(' ')).toContain('--appendonly yes');
  });

  it('the frontend is published on 8080, checks /healthz and has every nginx template variable', () => {
    const frontend = service(FRONTEND.name);
    expect((frontend.ports ?? []).map(String)).toContainEqual(
      expect.stringMatching(new RegExp(`:${FRONTEND.port}$`)),
    );
    expect(healthcheckUrl(frontend)?.pathname).toBe(FRONTEND.healthPath);
    const dockerfile = readDockerfile(dockerfileOf(frontend) ?? '');
    const env = { ...dockerfile.env, ...effectiveEnvironment(frontend) };
    const missing = templateVariables(readFileSync(NGINX_TEMPLATE, 'utf8')).filter((name) => !env[name]);
    expect(missing).toEqual([]);
    expect(env.ORDERS_UPSTREAM).toBe(`orders:${LONG_RUNNING.find((p) => p.name === 'orders')?.port}`);
    expect(env.NOTIFICATIONS_UPSTREAM).toBe(
      `notifications:${LONG_RUNNING.find((p) => p.name === 'notifications')?.port}`,
    );
    expect(dockerfile.runtime.find((l) => l.startsWith('USER'))).toBe('USER nginx');
  });

  it('publishes no host port twice', () => {
    const published = Object.values(services).flatMap((svc) =>
      (svc.ports ?? []).map((p) => String(p).split(':').slice(0, -1).join(':')),
    );
    expect(new Set(published).size).toBe(published.length);
  });

  it('has the observability stack: Prometheus, Grafana, Loki, Alloy and Tempo, with config files in deploy/', () => {
    for (const name of ['prometheus', 'grafana', 'loki', 'alloy', 'tempo'])
      expect(services[name]).toBeDefined();
    expect(services.promtail).toBeUndefined();
  });
});
