/**
 * Reading `wrk --latency` output: requests/s, the latency distribution and non-2xx answers. wrk prints
 * times with a unit (us, ms, s, m, h) and counts with none.
 */
export interface WrkReport {
  requests: number;
  requestsPerSecond: number;
  /** Milliseconds, by percentile: 50, 75, 90, 99. */
  latencyMs: Record<string, number>;
  non2xx: number;
  socketErrors: number;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function wrkTimeMs(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(us|ms|s|m|h)$/.exec(text.trim());
  if (!match) throw new Error(`not a wrk time: ${text}`);
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : value * UNIT_MS[match[2]!]!;
}

export function parseWrk(output: string): WrkReport {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(output);
  const total = /^\s*(\d+) requests in /m.exec(output);
  if (!rps || !total) throw new Error(`unexpected wrk output:\n${output}`);
  const latencyMs: Record<string, number> = {};
  for (const m of output.matchAll(/^\s+(\d+(?:\.\d+)?)%\s+(\S+)\s*$/gm)) latencyMs[m[1]!] = wrkTimeMs(m[2]!);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    requests: Number(total[1]),
    requestsPerSecond: Number(rps[1]),
    latencyMs,
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0),
    socketErrors: errors ? errors.slice(1).reduce((a, n) => a + Number(n), 0) : 0,
  };
}

/** A Lua script for wrk that POSTs `body` as JSON; the body is a long bracket string, so needs no escaping. */
export function postScript(body: string): string {
  let level = '=';
  while (body.includes(`]${level}]`)) level += '=';
  return [
    'wrk.method = "POST"',
    `wrk.body = [${level}[${body}]${level}]`,
    'wrk.headers["Content-Type"] = "application/json"',
    '',
  ].join('\n');
}
