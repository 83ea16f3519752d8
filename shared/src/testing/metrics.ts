/**
 * Metric readings for tests. Counters are process-global and grow across tests, so a test reads the value
 * before its action and compares the value after against it.
 */

/** A metric's value in Prometheus text, summed over the samples whose labels include `labels`. */
export function metricIn(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? ([0-9.eE+-]+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const set = match[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => set.includes(`${k}="${v}"`))) sum += Number(match[3]);
  }
  return sum;
}

/** A metric's value as a service's `/metrics` shows it now (`base` is the service's origin). */
export async function metricValue(
  base: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  return metricIn(await (await fetch(`${base}/metrics`)).text(), name, labels);
}
