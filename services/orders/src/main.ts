// First: tracing patches express, ioredis and mongodb as they load (only when OTEL_EXPORTER_OTLP_ENDPOINT is set).
import '@pizza/shared/tracing/register';
import { z } from 'zod';
import {
  BaseEnv,
  crashAfterCommitHook,
  FaultEnv,
  MongoEnv,
  ReconcileEnv,
  relayAndReconciler,
  runMain,
  startService,
  type RunningService,
} from '@pizza/shared';
import { GROUPS, STREAMS } from '@pizza/shared/contract';
import { ordersContext } from './application/context';
import { reconcileOrders } from './application/reconcile-orders';
import { orderHandlers } from './handlers';
import { AdmissionEnv } from './http/admission';
import { orderLimits, RateLimitEnv } from './http/limits';
import { mountRoutes } from './http/routes';
import { orderMetrics } from './metrics';
import { ensureIndexes, ordersOutbox } from './store/collections';
import { stalledOrders } from './store/stalled-orders';

export const SERVICE = 'orders';

export const OrdersEnv = BaseEnv.extend(MongoEnv.shape)
  .extend({
    ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters'),
  })
  .extend(RateLimitEnv.shape)
  .extend(AdmissionEnv.shape)
  .extend(ReconcileEnv.shape)
  .extend(FaultEnv.shape);

/** The order service: HTTP API, the consumers of status and delivery events, and the outbox relay. */
export function start(env: NodeJS.ProcessEnv = process.env): Promise<RunningService> {
  return startService({
    name: SERVICE,
    schema: OrdersEnv,
    env,
    async setup({ config, logger, bus, app }, mongo) {
      const outbox = ordersOutbox({ db: mongo.db, bus, logger });
      await ensureIndexes(mongo.db);
      await stalledOrders(mongo.db).ensureIndex();
      const ctx = ordersContext({
        mongo,
        outbox,
        metrics: orderMetrics(),
        clock: () => new Date(),
        source: SERVICE,
        afterCommit: crashAfterCommitHook(config, env, logger, 'order'),
      });
      const limits = orderLimits(config, { redis: bus.redis, logger, adminToken: config.ADMIN_TOKEN });
      mountRoutes(app, ctx, { redis: bus.redis, adminToken: config.ADMIN_TOKEN, limits, logger });
      return {
        consumers: [
          {
            group: GROUPS.orders,
            streams: [STREAMS.orderStatus, STREAMS.deliveries],
            ...orderHandlers(ctx),
          },
        ],
        ...relayAndReconciler({
          outbox,
          service: SERVICE,
          config,
          logger,
          pass: (s) => reconcileOrders(ctx, s),
        }),
      };
    },
  });
}

if (require.main === module) runMain(SERVICE, () => start());
