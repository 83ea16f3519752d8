// First: tracing patches express, ioredis and mongodb as they load (only when OTEL_EXPORTER_OTLP_ENDPOINT is set).
import '@pizza/shared/tracing/register';
import {
  GROUPS,
  redisFailureLimit,
  runMain,
  startService,
  streamsReadBy,
  TOKEN_FAILURES_LIMIT,
  type RunningService,
} from '@pizza/shared';
import { NotificationsEnv } from './config';
import { trackingHandlers } from './handlers';
import { gatewayMetrics } from './metrics';
import { StockLevels } from './stock/stock-levels';
import { FanoutSubscriber } from './store/fanout';
import { TrackingCache } from './store/tracking-cache';
import { ObservabilityChannels } from './system-view/channels';
import { ConnectionCaps } from './ws/connection-caps';
import { TrackingGateway } from './ws/gateway';

/**
 * The notifications gateway: a Redis cache of each order's latest state and of the menu's stock levels, pushed
 * to WebSocket clients.
 */
export function start(env: NodeJS.ProcessEnv = process.env): Promise<RunningService> {
  return startService({
    name: 'notifications',
    schema: NotificationsEnv,
    env,
    async setup({ config, bus, logger, consumerName, consumerDefaults, trustProxy }) {
      const metrics = gatewayMetrics();
      const cache = new TrackingCache(bus.redis);
      const stock = new StockLevels(bus.redis);
      // One count of sockets for every channel of this process.
      const caps = new ConnectionCaps({
        total: config.WS_MAX_CONNECTIONS,
        perClient: config.WS_MAX_CONNECTIONS_PER_CLIENT,
      });
      // The order API's limit on wrong tokens (same name, so the same counts in Redis), for the token channels.
      const tokenFailures = redisFailureLimit({
        name: TOKEN_FAILURES_LIMIT,
        redis: bus.redis,
        logger,
        limit: config.RATE_LIMIT_TOKEN_FAILURES,
        windowMs: config.RATE_LIMIT_WINDOW_MS,
      });
      const gateway = new TrackingGateway({
        readCache: (orderId) => cache.read(orderId),
        readCaches: (orderIds) => cache.readMany(orderIds),
        logger,
        metrics,
        pingIntervalMs: config.WS_PING_INTERVAL_MS,
        clientTimeoutMs: config.WS_CLIENT_TIMEOUT_MS,
        maxBufferedBytes: config.WS_MAX_BUFFERED_BYTES,
        graceMs: config.WS_UNKNOWN_ORDER_GRACE_MS,
        caughtUp: () => bus.caughtUp(),
        trustProxy,
        caps,
        tokenFailures,
      });
      const fanout = new FanoutSubscriber({
        redisUrl: config.REDIS_URL,
        name: consumerName,
        logger,
        watches: (orderId) => gateway.watches(orderId),
        onState: (state) => gateway.deliver(state),
        onResubscribed: () => void gateway.resync(),
      });
      const observability = new ObservabilityChannels({
        redis: bus.redis,
        logger,
        readCache: (orderId) => cache.read(orderId),
        intervalMs: config.SYSTEM_VIEW_INTERVAL_MS,
        pingIntervalMs: config.WS_PING_INTERVAL_MS,
        maxBufferedBytes: config.WS_MAX_BUFFERED_BYTES,
        stockLevels: stock,
        stockIntervalMs: config.WS_STOCK_INTERVAL_MS,
        caps,
        trustProxy,
        metrics,
        tokenFailures,
      });
      // Subscribed before any client can connect or any event is applied.
      await fanout.start();
      const deps = { cache, stock, metrics, maxRetries: consumerDefaults.maxRetries };
      return {
        consumers: [
          {
            group: GROUPS.notifications,
            streams: streamsReadBy(GROUPS.notifications),
            ...trackingHandlers(deps),
          },
        ],
        onListening: (server) => {
          observability.attach(server);
          gateway.attach(server);
        },
        start: () => gateway.start(),
        stop: async () => {
          await observability.stop();
          await gateway.stop();
          await fanout.stop();
        },
      };
    },
  });
}

if (require.main === module) runMain('notifications', () => start());
