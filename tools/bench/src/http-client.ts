import { Agent, request } from 'node:http';

/**
 * A lean keep-alive HTTP client: one call, one request, timed from just before it is written to the last
 * byte of the answer. Both our POSTs and the bare-server baseline go through it, so they pay the same.
 */
export interface HttpAnswer {
  /** 0 when there was no HTTP answer at all (refused, reset, timed out). */
  status: number;
  body: string;
  ms: number;
  error?: string;
}

export interface HttpClient {
  post(path: string, body: string, headers?: Record<string, string>): Promise<HttpAnswer>;
  get(path: string): Promise<HttpAnswer>;
  close(): void;
}

export function httpClient(
  origin: string,
  options: { maxSockets?: number; timeoutMs?: number } = {},
): HttpClient {
  const url = new URL(origin);
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 256 });
  const timeoutMs = options.timeoutMs ?? 30_000;

  const send = (method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
    new Promise<HttpAnswer>((resolve) => {
      const started = performance.now();
      const done = (answer: Omit<HttpAnswer, 'ms'>) =>
        resolve({ ...answer, ms: performance.now() - started });
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method,
          path,
          headers:
            body === undefined
              ? headers
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
          res.on('error', (error) => done({ status: 0, body: '', error: error.message }));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (error: NodeJS.ErrnoException) =>
        done({ status: 0, body: '', error: error.code ?? error.message }),
      );
      req.end(body);
    });

  return {
    post: (path, body, headers) => send('POST', path, body, headers),
    get: (path) => send('GET', path),
    close: () => agent.destroy(),
  };
}
