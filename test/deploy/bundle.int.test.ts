/**
 * The images run `node dist/<entry>.js` on the production node_modules of one workspace, so each workspace's
 * `build` script must bundle @pizza/shared (TypeScript that plain node cannot load) and leave out only packages
 * the workspace or @pizza/shared declare as dependencies. Builds into a temp dir with the script's own flags,
 * then starts each bundle with an empty environment: it must load every module and stop at its config check.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { ALL_PROCESSES, REPO_ROOT } from './lib/catalogue';

jest.setTimeout(120_000);

interface PackageJson {
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
}

function packageJson(dir: string): PackageJson {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, dir, 'package.json'), 'utf8')) as PackageJson;
}

const WORKSPACES = [...new Set(ALL_PROCESSES.map((p) => p.workspace))];
const SHARED_DEPS = Object.keys(packageJson('shared').dependencies ?? {});
const ESBUILD = path.join(REPO_ROOT, 'node_modules/.bin/esbuild');

/** The package a bare specifier names: "mongodb" → mongodb, "@scope/x/y" → @scope/x. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

interface RunResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Runs a command to completion (killed after timeoutMs), collecting stdout and stderr together. */
function run(
  command: string,
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, output });
    });
  });
}

interface WorkspaceBuild {
  outdir: string;
  build: RunResult;
  /** bundle path (as in the catalogue) → what starting it with an empty environment did */
  started: Map<string, RunResult>;
}

/** Builds one workspace into a temp dir with its own script's flags, then starts its bundles side by side. */
async function buildAndStart(workspace: string): Promise<WorkspaceBuild> {
  const outdir = await mkdtemp(path.join(os.tmpdir(), 'bundle-'));
  const script = packageJson(workspace).scripts?.build ?? '';
  const [tool, ...args] = script.split(/\s+/);
  if (tool !== 'esbuild')
    throw new Error(`${workspace}: build script is not a plain esbuild call: ${script}`);
  const retargeted = args.map((arg) =>
    arg.startsWith('--outdir=')
      ? `--outdir=${outdir}`
      : arg.startsWith('--outfile=')
        ? `--outfile=${outdir}/main.js`
        : arg,
  );
  const build = await run(ESBUILD, retargeted, { cwd: path.join(REPO_ROOT, workspace), timeoutMs: 30_000 });
  const bundles = ALL_PROCESSES.filter((p) => p.workspace === workspace).map((p) => p.bundle);
  const runs = await Promise.all(
    bundles.map((bundle) =>
      run(process.execPath, [path.join(outdir, path.basename(bundle))], {
        cwd: outdir,
        // only the repository's node_modules, as the image has them above the bundle; no config at all
        env: { PATH: process.env.PATH ?? '', NODE_PATH: path.join(REPO_ROOT, 'node_modules') },
        timeoutMs: 60_000, // generous: module loading alone takes seconds on a busy machine
      }),
    ),
  );
  return { outdir, build, started: new Map(bundles.map((b, i) => [b, runs[i] as RunResult])) };
}

const builds = new Map<string, WorkspaceBuild>();

beforeAll(async () => {
  const done = await Promise.all(WORKSPACES.map(buildAndStart));
  WORKSPACES.forEach((ws, i) => builds.set(ws, done[i] as WorkspaceBuild));
});

afterAll(async () => {
  await Promise.all([...builds.values()].map((b) => rm(b.outdir, { recursive: true, force: true })));
});

function built(workspace: string): WorkspaceBuild {
  const found = builds.get(workspace);
  if (!found) throw new Error(`${workspace} was not built`);
  return found;
}

describe.each(WORKSPACES)('%s build', (workspace) => {
  const bundles = ALL_PROCESSES.filter((p) => p.workspace === workspace).map((p) => p.bundle);

  it('builds with its package.json script', () => {
    const { build, outdir } = built(workspace);
    expect(build.output).not.toMatch(/✘|error/i);
    expect(build.status).toBe(0);
    for (const bundle of bundles)
      expect([bundle, existsSync(path.join(outdir, path.basename(bundle)))]).toEqual([bundle, true]);
  });

  it('bundles @pizza/shared and requires only declared production dependencies', async () => {
    const allowed = new Set([...Object.keys(packageJson(workspace).dependencies ?? {}), ...SHARED_DEPS]);
    allowed.delete('@pizza/shared');
    for (const bundle of bundles) {
      const code = await readFile(path.join(built(workspace).outdir, path.basename(bundle)), 'utf8');
      const specifiers = [...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1] ?? '');
      const external = specifiers.filter(
        (s) => !s.startsWith('node:') && !builtinModules.includes(packageOf(s)),
      );
      expect([bundle, external.filter((s) => s.startsWith('@pizza/') || s.endsWith('.ts'))]).toEqual([
        bundle,
        [],
      ]);
      expect([bundle, [...new Set(external.map(packageOf))].filter((p) => !allowed.has(p))]).toEqual([
        bundle,
        [],
      ]);
    }
  });

  it('each bundle loads all its modules and stops at the environment check', () => {
    for (const bundle of bundles) {
      const started = built(workspace).started.get(bundle);
      const output = started?.output ?? '';
      expect([bundle, output]).not.toEqual([
        bundle,
        expect.stringMatching(/Cannot find module|ERR_MODULE_NOT_FOUND|SyntaxError/),
      ]);
      expect([bundle, started?.signal]).toEqual([bundle, null]); // exited by itself, did not hang
      expect([bundle, started?.status]).not.toEqual([bundle, 0]);
      expect([bundle, output]).toEqual([bundle, expect.stringMatching(/REDIS_URL|MONGO_URL|usage/i)]);
    }
  });
});
