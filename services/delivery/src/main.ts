// First: tracing patches express, ioredis and mongodb as they load (only when OTEL_EXPORTER_OTLP_ENDPOINT is set).
import '@pizza/shared/tracing/register';
import {
  crashAfterCommitHook,
  GROUPS,
  Outbox,
  relayAndReconciler,
  runMain,
  startService,
  STREAMS,
  type RunningService,
} from '@pizza/shared';
import { reconcileDeliveries } from './application/reconcile-deliveries';
import { DeliveryEnv, SERVICE } from './config';
import { deliveryHandlers } from './handlers';
import { deliveryMetrics } from './metrics';
import { DELIVERY_COLLECTIONS, deliveryStore } from './store/deliveries';
import { stalledDeliveries } from './store/stalled-deliveries';

export { SERVICE };

/** The delivery service: creates a delivery when an order goes out, and drives it to delivered. No REST API. */
export function start(env: NodeJS.ProcessEnv = process.env): Promise<RunningService> {
  return startService({
    name: SERVICE,
    schema: DeliveryEnv,
    env,
    async setup({ config, logger, bus }, mongo) {
      const outbox = new Outbox({
        db: mongo.db,
        bus,
        logger,
        name: SERVICE,
        collection: DELIVERY_COLLECTIONS.outbox,
      });
      const store = deliveryStore(mongo.db);
      await store.ensureIndexes();
      await stalledDeliveries(mongo.db).ensureIndex();
      const ctx = {
        mongo,
        store,
        outbox,
        metrics: deliveryMetrics(),
        clock: () => new Date(),
        afterCreateCommit: crashAfterCommitHook(config, env, logger, 'delivery'),
      };
      return {
        consumers: [
          {
            group: GROUPS.delivery,
            streams: [STREAMS.orders, STREAMS.deliveryStatus],
            ...deliveryHandlers(ctx),
          },
        ],
        ...relayAndReconciler({
          outbox,
          service: SERVICE,
          config,
          logger,
          pass: (s) => reconcileDeliveries(ctx, s),
        }),
      };
    },
  });
}

if (require.main === module) runMain(SERVICE, () => start());
