import { connect } from 'node:net';

/** A request with a body the client then only trickles: its head, declaring 1000 bytes, and the first few. */
export const SLOW_BODY_REQUEST = [
  'POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n',
  '{"items":',
];

/**
 * Raw bytes to a local port: what came back, and when the server closed the connection (undefined: still
 * open at `timeoutMs`). With `trickleEveryMs`, one more byte follows the chunks at that pace while it is open.
 */
export function rawExchange(
  port: number,
  chunks: string[],
  options: { timeoutMs?: number; trickleEveryMs?: number } = {},
): Promise<{ answer: string; closedAfterMs: number | undefined }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect({ host: '127.0.0.1', port });
    let answer = '';
    let trickle: NodeJS.Timeout | undefined;
    const done = (closed: boolean) => {
      clearTimeout(timer);
      clearInterval(trickle);
      socket.destroy();
      resolve({ answer, closedAfterMs: closed ? performance.now() - started : undefined });
    };
    const timer = setTimeout(() => done(false), options.timeoutMs ?? 5_000);
    socket.on('connect', () => {
      chunks.forEach((c) => socket.write(c));
      const every = options.trickleEveryMs;
      if (every) trickle = setInterval(() => socket.write(' '), every);
    });
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('close', () => done(true));
    socket.on('error', () => undefined);
  });
}

/**
 * Sends `chunks`, then a byte every 50 ms, to a server that should cut the client off after `timeoutMs`:
 * the status it answered and whether it closed the connection in time, i.e. after `timeoutMs` (less 50 ms of
 * timer slack) and before `timeoutMs + slackMs`.
 */
export async function trickleUntilCutOff(
  port: number,
  chunks: string[],
  timeoutMs: number,
  slackMs = 3_000,
): Promise<{ status: number | undefined; cutOff: 'in time' | 'too early' | 'too late'; afterMs?: number }> {
  const { answer, closedAfterMs } = await rawExchange(port, chunks, {
    timeoutMs: timeoutMs + slackMs,
    trickleEveryMs: 50,
  });
  const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1];
  const cutOff =
    closedAfterMs === undefined ? 'too late' : closedAfterMs < timeoutMs - 50 ? 'too early' : 'in time';
  return { status: status ? Number(status) : undefined, cutOff, afterMs: closedAfterMs };
}
