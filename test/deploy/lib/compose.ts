/** Reads docker-compose.yaml, its env files and Dockerfiles the way `docker compose` would (the parts we check). */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './catalogue';

export interface ComposeHealthcheck {
  test?: string | string[];
}

export interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string } | string;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  env_file?: string | (string | { path: string })[];
  ports?: (string | number | { target: number; published?: string | number })[];
  healthcheck?: ComposeHealthcheck;
  depends_on?: string[] | Record<string, { condition?: string }>;
  restart?: string;
  profiles?: string[];
  secrets?: (string | { source: string })[];
  volumes?: (string | { type?: string; source?: string; target: string })[];
  labels?: Record<string, string> | string[];
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  secrets?: Record<string, { file?: string }>;
  volumes?: Record<string, unknown>;
}

export const COMPOSE_PATH = path.join(REPO_ROOT, 'docker-compose.yaml');

export function loadCompose(): ComposeFile {
  // compose resolves YAML merge keys (<<: *anchor); so must we
  const doc: unknown = parse(readFileSync(COMPOSE_PATH, 'utf8'), { merge: true });
  if (typeof doc !== 'object' || doc === null || !('services' in doc))
    throw new Error('compose file has no services');
  return doc as ComposeFile;
}

export function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : value.split(/\s+/).filter(Boolean);
}

/** env_file entries as repository-relative paths. */
export function envFiles(service: ComposeService): string[] {
  const raw =
    service.env_file === undefined
      ? []
      : Array.isArray(service.env_file)
        ? service.env_file
        : [service.env_file];
  return raw.map((entry) => path.normalize(typeof entry === 'string' ? entry : entry.path));
}

/** The committed template of an envs/ file: envs/x.env → envs/default.x.env, envs/mongo-keyfile → envs/default.mongo-keyfile. */
export function defaultOf(envPath: string): string {
  return path.join(path.dirname(envPath), `default.${path.basename(envPath)}`);
}

/** KEY=VALUE lines; comments and blank lines ignored; surrounding quotes removed. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`not a KEY=VALUE line: ${line}`);
    const value = line.slice(eq + 1).trim();
    out[line.slice(0, eq).trim()] = value.replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

function inlineEnvironment(service: ComposeService): Record<string, string> {
  const env = service.environment;
  if (env === undefined) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => [entry.split('=')[0] ?? '', entry.split('=').slice(1).join('=')]),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** What the container sees with the default env files copied in place: env files in order, then `environment`. */
export function effectiveEnvironment(service: ComposeService): Record<string, string> {
  const fromFiles = envFiles(service).map((file) =>
    parseEnvFile(readFileSync(path.join(REPO_ROOT, defaultOf(file)), 'utf8')),
  );
  return Object.assign({}, ...fromFiles, inlineEnvironment(service)) as Record<string, string>;
}

export function dependsOn(service: ComposeService): Record<string, string> {
  const deps = service.depends_on;
  if (deps === undefined) return {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, 'service_started']));
  return Object.fromEntries(
    Object.entries(deps).map(([name, d]) => [name, d.condition ?? 'service_started']),
  );
}

export function dockerfileOf(service: ComposeService): string | undefined {
  if (service.build === undefined) return undefined;
  if (typeof service.build === 'string') return path.join(service.build, 'Dockerfile');
  return path.normalize(path.join(service.build.context ?? '.', service.build.dockerfile ?? 'Dockerfile'));
}

export interface Dockerfile {
  text: string;
  /** the last stage's instructions (the image that runs) */
  runtime: string[];
  env: Record<string, string>;
  cmd: string[];
}

/** The runtime stage of a Dockerfile: its ENV, CMD and every other instruction (continuation lines joined). */
export function readDockerfile(relativePath: string): Dockerfile {
  const text = readFileSync(path.join(REPO_ROOT, relativePath), 'utf8');
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const lastFrom = instructions.map((l) => l.startsWith('FROM ')).lastIndexOf(true);
  const runtime = instructions.slice(lastFrom);
  const env: Record<string, string> = {};
  let cmd: string[] = [];
  for (const line of runtime) {
    if (line.startsWith('ENV ')) {
      for (const m of line.slice(4).matchAll(/([A-Z_][A-Z0-9_]*)=("[^"]*"|\S+)/g)) {
        env[m[1] ?? ''] = (m[2] ?? '').replace(/^"(.*)"$/, '$1');
      }
    }
    if (line.startsWith('CMD [')) cmd = JSON.parse(line.slice(4)) as string[];
  }
  return { text, runtime, env, cmd };
}

export function repoPathExists(relativePath: string): boolean {
  return existsSync(path.join(REPO_ROOT, relativePath));
}
