import { z } from 'zod';
import {
  BaseEnv,
  crashAfterCommitHook,
  FaultEnv,
  MongoEnv,
  runMain,
  startService,
  type RunningService,
} from '@pizza/shared';
import { GROUPS, STREAMS } from '@pizza/shared/contract';
import { onDeliveryEvent } from './handlers/delivery-event';
import { onOrderStatusSimulated } from './handlers/order-status-simulated';
import { mountRoutes } from './http/routes';
import { orderMetrics } from './metrics';
import { ensureIndexes } from './store/collections';
import { ordersContext } from './store/context';
import { ordersOutbox } from './store/outbox';

export const SERVICE = 'orders';

export const OrdersEnv = BaseEnv.extend(MongoEnv.shape)
  .extend({
    ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters'),
  })
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
      const ctx = ordersContext({
        mongo,
        outbox,
        metrics: orderMetrics(),
        clock: () => new Date(),
        source: SERVICE,
        afterCommit: crashAfterCommitHook(config, env, logger, 'order'),
      });
      mountRoutes(app, ctx, { redis: bus.redis, adminToken: config.ADMIN_TOKEN, logger });
      return {
        consumers: [
          {
            group: GROUPS.orders,
            streams: [STREAMS.orderStatus, STREAMS.deliveries],
            handlers: {
              'order.status_simulated': onOrderStatusSimulated(ctx),
              'delivery.created': onDeliveryEvent(ctx),
              'delivery.status_changed': onDeliveryEvent(ctx),
            },
          },
        ],
        start: () => outbox.start(),
        stop: () => outbox.stop(),
      };
    },
  });
}

if (require.main === module) runMain(SERVICE, () => start());
