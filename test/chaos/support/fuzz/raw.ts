import { connect } from 'node:net';

/**
 * Raw bytes over TCP, so the fuzzer can send what no HTTP client would (bad framing, bad header bytes,
 * mismatched lengths). Resolves with the status of the first response line, or 0 when the server closed or
 * the deadline passed without one; the socket is always destroyed.
 */
export function sendRaw(
  port: number,
  request: Buffer,
  timeoutMs = 3_000,
): Promise<{ status: number; head: string }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let data = '';
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ status: firstStatus(data) ?? 0, head: data.slice(0, 200) });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
      if (firstStatus(data) !== undefined) finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
  });
}

/** The first final (non-100) status line's code. */
function firstStatus(data: string): number | undefined {
  for (const match of data.matchAll(/HTTP\/1\.[01] (\d{3})/g))
    if (match[1] !== '100') return Number(match[1]);
  return undefined;
}

export function httpRequest(
  method: string,
  path: string,
  headers: [string, string][],
  body: Buffer = Buffer.alloc(0),
): Buffer {
  const head = [`${method} ${path} HTTP/1.1`, ...headers.map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}
