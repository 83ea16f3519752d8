import { counter, gauge, histogram, LATENCY_BUCKETS } from '@pizza/shared';

/** The gateway's metrics (names fixed by the deployment's dashboards). */
export function gatewayMetrics() {
  return {
    open: gauge({ name: 'ws_connections_open', help: 'WebSocket connections open' }),
    pushed: counter({ name: 'ws_messages_pushed_total', help: 'Status messages sent to WebSocket clients' }),
    latency: histogram({
      name: 'ws_push_latency_seconds',
      help: 'From the event timestamp to the push of the change to a client',
      buckets: LATENCY_BUCKETS,
    }),
    dropped: counter({
      name: 'ws_clients_dropped_total',
      help: 'Clients terminated: silent past the timeout, or too slow to read',
      labelNames: ['reason'],
    }),
    refused: counter({
      name: 'ws_connections_refused_total',
      help: 'Connections closed at once: the per-client or the total cap was reached',
      labelNames: ['reason'],
    }),
    updates: counter({
      name: 'notifications_cache_updates_total',
      help: 'Events applied to the tracking cache, by outcome',
      labelNames: ['outcome'],
    }),
  };
}
export type GatewayMetrics = ReturnType<typeof gatewayMetrics>;
