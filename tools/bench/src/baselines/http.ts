import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { spawnChild, waitForLine } from '@pizza/stack';
import { parseWrk, postScript, type WrkReport } from './wrk';

/**
 * The ceiling of an HTTP service on this machine: a bare `http.createServer` in its own process (as each
 * service is) answering a small JSON body, driven by wrk, an independent load generator, so that the
 * figure is the server's and not a Node client's.
 */
export type HttpBaseline =
  | ({ tool: 'wrk'; connections: number; threads: number; durationMs: number } & WrkReport)
  | { tool: 'none'; note: string };

const BARE_SERVER = `
const http = require('node:http');
const body = JSON.stringify({ id: 'bare', status: 'created', total: 899 });
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 65000;
server.listen(0, '127.0.0.1', () => console.log('bare listening ' + server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

const CONNECTIONS = 16;
const THREADS = 2;
const run = promisify(execFile);

export async function measureBareHttp(options: { durationMs: number; body: string }): Promise<HttpBaseline> {
  try {
    await run('wrk', ['--version']).catch((error: NodeJS.ErrnoException) => {
      // wrk --version exits 1 after printing its banner; only a missing binary matters.
      if (error.code === 'ENOENT') throw error;
    });
  } catch {
    const note = 'wrk not installed (apt-get install wrk): bare node:http baseline skipped';
    if (process.env.CI) throw new Error(note);
    return { tool: 'none', note };
  }
  const handle = spawnChild(process.execPath, ['-e', BARE_SERVER]);
  const dir = mkdtempSync(join(tmpdir(), 'pizza-bench-wrk-'));
  try {
    const line = await waitForLine(handle, (l) => l.startsWith('bare listening '), {
      timeoutMs: 10_000,
      what: 'bare http server',
    });
    handle.child.stdout?.resume();
    const script = join(dir, 'post.lua');
    writeFileSync(script, postScript(options.body));
    const seconds = Math.max(1, Math.round(options.durationMs / 1000));
    const { stdout } = await run('wrk', [
      `-t${THREADS}`,
      `-c${CONNECTIONS}`,
      `-d${seconds}s`,
      '--latency',
      '-s',
      script,
      `http://127.0.0.1:${line.split(' ')[2]}/api/v1/orders`,
    ]);
    return {
      tool: 'wrk',
      connections: CONNECTIONS,
      threads: THREADS,
      durationMs: seconds * 1000,
      ...parseWrk(stdout),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await handle.stop(2_000);
  }
}
