import { spawnChild, waitForLine } from '@pizza/stack';
import { httpClient } from '../http-client';
import { drive } from '../load';
import { summarize, type Summary } from '../stats';

/**
 * The ceiling of an HTTP service on this machine: a bare `http.createServer` in its own process (as each
 * service is) answering a small JSON body, hit by the very client loop that posts our orders.
 */
export interface HttpBaseline {
  concurrency: number;
  durationMs: number;
  requestsPerSecond: number;
  latency: Summary;
}

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

export async function measureBareHttp(options: {
  concurrency: number;
  durationMs: number;
  body: string;
}): Promise<HttpBaseline> {
  const handle = spawnChild(process.execPath, ['-e', BARE_SERVER]);
  try {
    const line = await waitForLine(handle, (l) => l.startsWith('bare listening '), {
      timeoutMs: 10_000,
      what: 'bare http server',
    });
    handle.child.stdout?.resume();
    const client = httpClient(`http://127.0.0.1:${line.split(' ')[2]}`, { maxSockets: options.concurrency });
    const latencies: number[] = [];
    let ok = 0;
    const result = await drive(
      { shape: { kind: 'concurrency', concurrency: options.concurrency }, durationMs: options.durationMs },
      async () => {
        const answer = await client.post('/api/v1/orders', options.body);
        if (answer.status === 201) {
          ok++;
          latencies.push(answer.ms);
        }
      },
    );
    client.close();
    return {
      concurrency: options.concurrency,
      durationMs: options.durationMs,
      requestsPerSecond: ok / (result.elapsedMs / 1000),
      latency: summarize(latencies),
    };
  } finally {
    await handle.stop(2_000);
  }
}
