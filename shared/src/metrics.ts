import client from 'prom-client';

/**
 * The process's one Prometheus registry. Metric helpers are idempotent by name, so several consumers
 * (or several test instances in one process) share a metric rather than registering it twice.
 */
export const registry = client.register;
let defaultsCollected = false;

export function collectDefaultMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  client.collectDefaultMetrics({ register: registry });
}

type Config<L extends string> = { name: string; help: string; labelNames?: readonly L[] };

function existing<M>(name: string): M | undefined {
  return registry.getSingleMetric(name) as M | undefined;
}

export function counter<L extends string = string>(config: Config<L>): client.Counter<L> {
  return existing<client.Counter<L>>(config.name) ?? new client.Counter<L>({ ...config, registers: [registry] });
}

export function gauge<L extends string = string>(
  config: Config<L> & { collect?: (this: client.Gauge<L>) => void | Promise<void> },
): client.Gauge<L> {
  return existing<client.Gauge<L>>(config.name) ?? new client.Gauge<L>({ ...config, registers: [registry] });
}

export function histogram<L extends string = string>(config: Config<L> & { buckets?: number[] }): client.Histogram<L> {
  return existing<client.Histogram<L>>(config.name) ?? new client.Histogram<L>({ ...config, registers: [registry] });
}

/** Latency buckets in seconds, from a fraction of a millisecond to ten seconds. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
