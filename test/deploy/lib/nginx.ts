/**
 * Runs the repository's nginx configuration (deploy/nginx/nginx.conf.template) with real nginx:
 * renders it the way deploy/nginx/entrypoint.sh does, checks it with `nginx -t`, or starts it in
 * front of given upstreams on a free port and stops it again.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findOnPath } from '../../support/executables';
import { REPO_ROOT } from './catalogue';
import { freePort } from '@pizza/stack';
import { waitFor } from '@pizza/shared/testing';

export const NGINX_DIR = path.join(REPO_ROOT, 'deploy/nginx');
export const NGINX_TEMPLATE = path.join(NGINX_DIR, 'nginx.conf.template');
export const NGINX_ENTRYPOINT = path.join(NGINX_DIR, 'entrypoint.sh');

/** Searched after PATH: sbin folders are often left out of a user's PATH. */
const NGINX_EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/opt/homebrew/bin', '/usr/local/bin'];
const MIME_TYPES_CANDIDATES = [
  '/etc/nginx/mime.types',
  '/usr/local/etc/nginx/mime.types',
  '/opt/homebrew/etc/nginx/mime.types',
];
const NGINX_MISSING =
  'nginx not found on PATH (nor in /usr/sbin, /usr/local/sbin): install it to run these tests ' +
  '(Debian/Ubuntu: apt-get install nginx-light; macOS: brew install nginx)';

export function findNginx(env: NodeJS.ProcessEnv = process.env, extraDirs = NGINX_EXTRA_DIRS): string | undefined {
  return findOnPath(['nginx'], env, extraDirs);
}

export function nginxBinary(): string {
  const found = findNginx();
  if (!found) throw new Error(NGINX_MISSING);
  return found;
}

/**
 * Whether the nginx tests can run. Without nginx they are skipped with a message saying what to install,
 * except in CI (CI=true), where a missing tool is a failure, not a skip.
 */
export function nginxAvailable(env: NodeJS.ProcessEnv = process.env, extraDirs = NGINX_EXTRA_DIRS): boolean {
  if (findNginx(env, extraDirs)) return true;
  if (env.CI === 'true') throw new Error(`${NGINX_MISSING}. CI=true: a missing tool fails the run.`);
  console.warn(`Skipping the nginx tests: ${NGINX_MISSING}`);
  return false;
}

/** Makes a tree readable by everyone: nginx's workers may run as another user (root starts them as nobody). */
export async function openToNginx(root: string): Promise<void> {
  const info = await stat(root);
  await chmod(root, info.isDirectory() ? 0o755 : 0o644);
  if (!info.isDirectory()) return;
  for (const entry of await readdir(root)) await openToNginx(path.join(root, entry));
}

/**
 * A copy of `dir` in a fresh temporary folder nginx's workers can read. Serving from the checkout fails
 * when a parent folder is closed to them (a clone under a `mktemp -d` folder, mode 0700).
 */
export async function copyForNginx(dir: string): Promise<{ root: string; remove(): Promise<void> }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'nginx-static-'));
  await cp(dir, root, { recursive: true });
  await openToNginx(root);
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}

/** The template's ${NAME} placeholders, in order of first use. */
export function templateVariables(template: string): string[] {
  return [...new Set([...template.matchAll(/\$\{([A-Z_][A-Z0-9_]*)\}/g)].map((m) => m[1] ?? ''))];
}

/** envsubst restricted to the template's own names, as entrypoint.sh does; every name must be given. */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  const missing = templateVariables(template).filter((name) => !values[name]);
  if (missing.length > 0) throw new Error(`nginx template variables not set: ${missing.join(', ')}`);
  return template.replace(/\$\{([A-Z_][A-Z0-9_]*)\}/g, (_match, name: string) => values[name] ?? '');
}

export interface NginxUpstreams {
  /** host:port of the order service */
  orders: string;
  /** host:port of the notifications service */
  notifications: string;
}

export interface RenderedConfig {
  dir: string;
  confPath: string;
  values: Record<string, string>;
}

/** Renders the template into a fresh temp dir (also the runtime dir for pid and temp files). */
export async function renderNginxConfig(opts: {
  upstreams: NginxUpstreams;
  staticRoot: string;
  port: number;
}): Promise<RenderedConfig> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nginx-'));
  // nginx started as root hands requests to unprivileged workers, which must reach these files
  await chmod(dir, 0o755);
  const values = {
    NGINX_RUNTIME_DIR: dir,
    NGINX_STATIC_ROOT: opts.staticRoot,
    NGINX_LISTEN: `127.0.0.1:${opts.port}`,
    NGINX_ACCESS_LOG: path.join(dir, 'access.log'),
    NGINX_MIME_TYPES: MIME_TYPES_CANDIDATES.find((candidate) => existsSync(candidate)) ?? '',
    ORDERS_UPSTREAM: opts.upstreams.orders,
    NOTIFICATIONS_UPSTREAM: opts.upstreams.notifications,
  };
  const confPath = path.join(dir, 'nginx.conf');
  await writeFile(confPath, renderTemplate(await readFile(NGINX_TEMPLATE, 'utf8'), values));
  return { dir, confPath, values };
}

function baseArgs(config: RenderedConfig): string[] {
  return ['-e', 'stderr', '-p', `${config.dir}/`, '-c', config.confPath];
}

/** `nginx -t` on a rendered config: returns nginx's verdict and output. */
export function checkNginxConfig(config: RenderedConfig): { ok: boolean; output: string } {
  const result = spawnSync(nginxBinary(), ['-t', ...baseArgs(config)], { encoding: 'utf8', timeout: 10_000 });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

export interface RunningNginx {
  url: string;
  port: number;
  config: RenderedConfig;
  /** everything nginx printed so far (its error log goes to stderr) */
  output(): string;
  /** the access log so far, one JSON object a line */
  accessLog(): Promise<string>;
  stop(): Promise<void>;
}

async function startOnce(opts: { upstreams: NginxUpstreams; staticRoot: string }): Promise<RunningNginx> {
  const port = await freePort();
  const config = await renderNginxConfig({ ...opts, port });
  const child: ChildProcess = spawn(nginxBinary(), [...baseArgs(config), '-g', 'daemon off;'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));

  const stop = async (): Promise<void> => {
    if (running) {
      child.kill('SIGTERM'); // fast shutdown; the master waits for its workers
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
    await rm(config.dir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        if (!running) throw new Error(`nginx exited: ${output.trim()}`);
        return (await fetch(`${url}/healthz`)).ok;
      },
      { timeoutMs: 10_000, what: 'nginx to answer /healthz' },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const accessLog = (): Promise<string> =>
    readFile(config.values.NGINX_ACCESS_LOG ?? '', 'utf8').catch(() => '');
  return { url, port, config, output: () => output, accessLog, stop };
}

/** Starts real nginx with the repository's config in front of the given upstreams, on a free port. */
export async function startNginx(opts: {
  upstreams: NginxUpstreams;
  staticRoot: string;
}): Promise<RunningNginx> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      return await startOnce(opts);
    } catch (error) {
      lastError = error; // most likely the free port was taken in between: try another
    }
  }
  throw lastError instanceof Error ? lastError : new Error('nginx did not start');
}

/** "http://127.0.0.1:8003" or "127.0.0.1:8003" → "127.0.0.1:8003" (what an nginx upstream wants). */
export function hostPort(urlOrHostPort: string): string {
  return urlOrHostPort.includes('://') ? new URL(urlOrHostPort).host : urlOrHostPort;
}
