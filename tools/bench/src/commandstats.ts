/**
 * Redis counts every command it ran in `INFO commandstats`, one line per command:
 * `cmdstat_xreadgroup:calls=1200,usec=…,usec_per_call=…,rejected_calls=0,failed_calls=0`.
 * Two readings subtracted give the commands the stack sent in between.
 */
export function parseCommandStats(info: string): Record<string, number> {
  const calls: Record<string, number> = {};
  for (const line of info.split(/\r?\n/)) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (match) calls[match[1]!] = Number(match[2]);
  }
  return calls;
}

/** `after − before` per key (a key missing before counted from 0), leaving out `exclude` and zeros. */
export function countDelta(
  before: Readonly<Record<string, number>>,
  after: Readonly<Record<string, number>>,
  exclude: readonly string[] = [],
): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [key, value] of Object.entries(after)) {
    if (exclude.includes(key)) continue;
    const d = value - (before[key] ?? 0);
    if (d !== 0) delta[key] = d;
  }
  return delta;
}
