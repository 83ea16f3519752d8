import { BaseEnv } from '@pizza/shared';
/**
 * What the deployment must agree with, in one place: each deployable process's port, health paths and
 * environment, and every metric name a dashboard may query. Compose, Helm, nginx and Grafana checks read
 * from here; nginx-stack.int.test.ts compares METRICS with what the running services actually export.
 */
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

export const HEALTH_PATHS = {
  live: '/api/v1/health/live',
  ready: '/api/v1/health',
  metrics: '/metrics',
} as const;

/** Variables every service reads besides its port and Redis (all optional, with defaults in the code): BaseEnv's. */
const BUS_OPTIONAL = Object.keys(BaseEnv.shape).filter(
  (name) => name !== 'HTTP_PORT' && name !== 'REDIS_URL',
);

export interface DeployedProcess {
  /** compose service name, and the Helm subchart name for long-running services */
  name: string;
  workspace: string;
  /** the bundled file the image runs, relative to the workspace */
  bundle: string;
  /** HTTP_PORT default in the code; undefined for one-shot jobs that serve nothing */
  port?: number;
  /** must be set by the deployment, or the process refuses to start */
  required: readonly string[];
  /** understood by the process; anything else the deployment sets is a typo */
  optional: readonly string[];
  /** the zod schema the process validates its environment with, when it is exported */
  schema?: { module: string; exportName: string };
}

export const LONG_RUNNING: readonly DeployedProcess[] = [
  {
    name: 'orders',
    schema: { module: 'services/orders/src/main.ts', exportName: 'OrdersEnv' },
    workspace: 'services/orders',
    bundle: 'dist/main.js',
    port: 8003,
    required: ['HTTP_PORT', 'MONGO_URL', 'REDIS_URL', 'ADMIN_TOKEN'],
    optional: ['MONGO_DB', ...BUS_OPTIONAL],
  },
  {
    name: 'delivery',
    schema: { module: 'services/delivery/src/config.ts', exportName: 'DeliveryEnv' },
    workspace: 'services/delivery',
    bundle: 'dist/main.js',
    port: 8001,
    required: ['HTTP_PORT', 'MONGO_URL', 'REDIS_URL'],
    optional: ['MONGO_DB', ...BUS_OPTIONAL],
  },
  {
    name: 'notifications',
    schema: { module: 'services/notifications/src/config.ts', exportName: 'NotificationsEnv' },
    workspace: 'services/notifications',
    bundle: 'dist/main.js',
    port: 8002,
    required: ['HTTP_PORT', 'REDIS_URL'],
    optional: [
      'WS_PING_INTERVAL_MS',
      'WS_CLIENT_TIMEOUT_MS',
      'WS_MAX_BUFFERED_BYTES',
      'WS_UNKNOWN_ORDER_GRACE_MS',
      ...BUS_OPTIONAL,
    ],
  },
  {
    name: 'simulator',
    schema: { module: 'services/simulator/src/config.ts', exportName: 'SimulatorEnv' },
    workspace: 'services/simulator',
    bundle: 'dist/main.js',
    port: 8004,
    required: ['HTTP_PORT', 'REDIS_URL'],
    optional: ['SIMULATOR_MIN_DELAY_MS', 'SIMULATOR_MAX_DELAY_MS', ...BUS_OPTIONAL],
  },
  {
    name: 'refill-scheduler',
    schema: { module: 'services/orders/src/stock-refill/config.ts', exportName: 'SchedulerEnv' },
    workspace: 'services/orders',
    bundle: 'dist/refill-scheduler.js',
    port: 8003,
    required: ['HTTP_PORT', 'MONGO_URL', 'REDIS_URL'],
    optional: ['MONGO_DB', 'STOCK_REFILL_CRON', ...BUS_OPTIONAL],
  },
];

export const ONE_SHOT: readonly DeployedProcess[] = [
  {
    name: 'seed',
    schema: { module: 'shared/src/config.ts', exportName: 'MongoEnv' },
    workspace: 'services/orders',
    bundle: 'dist/seed.js',
    required: ['MONGO_URL'],
    optional: ['MONGO_DB', 'REDIS_URL', 'LOG_LEVEL'],
  },
  {
    name: 'stock-refill',
    schema: { module: 'services/orders/src/stock-refill/config.ts', exportName: 'RefillEnv' },
    workspace: 'services/orders',
    bundle: 'dist/refill.js',
    required: ['MONGO_URL', 'REDIS_URL'],
    optional: ['MONGO_DB', 'LOG_LEVEL', 'SERVICE_NAME'],
  },
  {
    name: 'dlq',
    schema: { module: 'tools/ops/src/config.ts', exportName: 'DlqEnv' },
    workspace: 'tools/ops',
    bundle: 'dist/dlq-cli.js',
    required: ['REDIS_URL'],
    optional: ['MONGO_URL', 'MONGO_DB', 'LOG_LEVEL', 'STREAM_MAX_RETRIES', 'SERVICE_NAME'],
  },
];

export const ALL_PROCESSES: readonly DeployedProcess[] = [...LONG_RUNNING, ...ONE_SHOT];

export function processNamed(name: string): DeployedProcess {
  const found = ALL_PROCESSES.find((p) => p.name === name);
  if (!found) throw new Error(`no deployed process named ${name}`);
  return found;
}

/** The frontend image: nginx serving the built SPA and proxying /api and /ws. */
export const FRONTEND = { name: 'frontend', port: 8080, healthPath: '/healthz' } as const;

export type MetricType = 'counter' | 'gauge' | 'histogram';

/** Application metrics the services export (names as Prometheus sees them). */
export const APP_METRICS: Readonly<Record<string, MetricType>> = {
  http_request_duration_seconds: 'histogram',
  bus_events_published_total: 'counter',
  bus_events_consumed_total: 'counter',
  bus_events_acked_total: 'counter',
  bus_events_failed_total: 'counter',
  bus_events_retried_total: 'counter',
  bus_events_dead_lettered_total: 'counter',
  bus_events_ignored_total: 'counter',
  bus_handler_duration_seconds: 'histogram',
  bus_group_lag: 'gauge',
  bus_group_pending: 'gauge',
  bus_stream_length: 'gauge',
  orders_created_total: 'counter',
  orders_rejected_total: 'counter',
  orders_shed_total: 'counter',
  outbox_oldest_unpublished_age_seconds: 'gauge',
  reconcile_redriven_total: 'counter',
  reconcile_stalled_seconds: 'histogram',
  ws_connections_open: 'gauge',
  ws_messages_pushed_total: 'counter',
  ws_push_latency_seconds: 'histogram',
  ws_clients_dropped_total: 'counter',
};

/** prom-client 15's collectDefaultMetrics(). */
export const DEFAULT_METRICS: Readonly<Record<string, MetricType>> = {
  process_cpu_user_seconds_total: 'counter',
  process_cpu_system_seconds_total: 'counter',
  process_cpu_seconds_total: 'counter',
  process_start_time_seconds: 'gauge',
  process_resident_memory_bytes: 'gauge',
  process_virtual_memory_bytes: 'gauge',
  process_heap_bytes: 'gauge',
  process_open_fds: 'gauge',
  process_max_fds: 'gauge',
  nodejs_eventloop_lag_seconds: 'gauge',
  nodejs_eventloop_lag_min_seconds: 'gauge',
  nodejs_eventloop_lag_max_seconds: 'gauge',
  nodejs_eventloop_lag_mean_seconds: 'gauge',
  nodejs_eventloop_lag_stddev_seconds: 'gauge',
  nodejs_eventloop_lag_p50_seconds: 'gauge',
  nodejs_eventloop_lag_p90_seconds: 'gauge',
  nodejs_eventloop_lag_p99_seconds: 'gauge',
  nodejs_active_resources: 'gauge',
  nodejs_active_resources_total: 'gauge',
  nodejs_active_handles: 'gauge',
  nodejs_active_handles_total: 'gauge',
  nodejs_active_requests: 'gauge',
  nodejs_active_requests_total: 'gauge',
  nodejs_heap_size_total_bytes: 'gauge',
  nodejs_heap_size_used_bytes: 'gauge',
  nodejs_external_memory_bytes: 'gauge',
  nodejs_heap_space_size_total_bytes: 'gauge',
  nodejs_heap_space_size_used_bytes: 'gauge',
  nodejs_heap_space_size_available_bytes: 'gauge',
  nodejs_version_info: 'gauge',
  nodejs_gc_duration_seconds: 'histogram',
};

/** Series Prometheus itself attaches to every scrape target. */
export const SCRAPE_METRICS: Readonly<Record<string, MetricType>> = {
  up: 'gauge',
  scrape_duration_seconds: 'gauge',
  scrape_samples_scraped: 'gauge',
};

export const METRICS: Readonly<Record<string, MetricType>> = {
  ...APP_METRICS,
  ...DEFAULT_METRICS,
  ...SCRAPE_METRICS,
};

/** The series names a metric exposes: a histogram is queried through _bucket, _sum and _count. */
export function seriesNames(name: string, type: MetricType): string[] {
  return type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
}

export const QUERYABLE_SERIES: ReadonlySet<string> = new Set(
  Object.entries(METRICS).flatMap(([name, type]) => seriesNames(name, type)),
);
