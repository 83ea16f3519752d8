import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchResult } from '../src/results';

// A smoke run of `npm run bench` with every part shortened: its own stack in a child process group,
// the bare-server baseline under wrk, a fixed-rate phase, the search, the sustained and overload runs.
// The backlog bound is loose: this checks the plumbing, not the figures of a possibly busy machine.
jest.setTimeout(300_000);

const ROOT = resolve(__dirname, '../../..');

function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tools/bench/src/cli.ts', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

describe('npm run bench, quick mode', () => {
  const out = mkdtempSync(join(tmpdir(), 'pizza-bench-smoke-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test('measures cost per delivered order, searches saturation and keeps every invariant', async () => {
    const quick =
      '--rates 4 --duration 2s --warmup 0 --start-rate 4 --max-rate 8 --step-orders 8 --step-duration 2s ' +
      '--refine 0 --backlog 30s --sustain 2s --overload 2s --settle 60s --wrk-duration 1s --baseline-events 500';
    const run = await runBench([...quick.split(' '), '--out', out]);
    expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toContain('PASS  every accepted order reached delivered');

    const json = readdirSync(out).find((f) => f.endsWith('.json'))!;
    const result = JSON.parse(readFileSync(join(out, json), 'utf8')) as BenchResult;
    const side = result.sides[0]!;
    const phase = side.rates[0]!;
    expect(phase.trackers.delivered).toBe(phase.counts.accepted);
    expect(phase.cost?.totalCpuMsPerOrder).toBeGreaterThan(0);
    expect(phase.cost?.cpuMsPerOrder.map((c) => c.label)).toEqual(
      expect.arrayContaining(['orders', 'delivery', 'notifications', 'simulator', 'gateway']),
    );
    expect(phase.cost?.redisPerOrder?.total).toBeGreaterThan(0);
    expect(phase.cost?.mongoPerOrder?.total).toBeGreaterThan(0);
    expect(phase.hops?.overall.count).toBeGreaterThan(0);
    expect(side.search?.saturation).toBeDefined();
    expect(side.sustain?.trackers.delivered).toBe(side.sustain?.counts.accepted);
    expect(side.overload?.counts.sent).toBeGreaterThan(0);
    expect(side.invariants.every((i) => i.ok)).toBe(true);
    expect(side.baselines.http).toMatchObject({ tool: 'wrk' });
  });
});
