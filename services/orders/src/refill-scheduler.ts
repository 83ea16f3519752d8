// First: tracing patches express, ioredis and mongodb as they load (only when OTEL_EXPORTER_OTLP_ENDPOINT is set).
import '@pizza/shared/tracing/register';
import { runMain, startService, type RunningService } from '@pizza/shared';
import { createTask, type ScheduledTask } from 'node-cron';
import { SchedulerEnv } from './stock-refill/config';
import { relayUntilPublished } from './stock-refill/relay';
import { RefillRunner, type RunOutcome } from './stock-refill/runner';
import { ordersOutbox } from './store/collections';

export interface RunningScheduler extends RunningService {
  /** Runs one refill now, under the same one-at-a-time rule as the cron ticks. */
  runOnce(): Promise<RunOutcome>;
}

/**
 * The order service's stock refill on a schedule (STOCK_REFILL_CRON, default every two hours), for
 * docker-compose where there is no CronJob. Health, readiness and metrics on HTTP_PORT; never two refills at
 * once. It relays the outbox only until its own event is out, so the order service's relay keeps the lease
 * the rest of the time. On SIGTERM it stops the schedule, waits for a running refill and closes.
 */
export async function startScheduler(env: NodeJS.ProcessEnv = process.env): Promise<RunningScheduler> {
  let runner: RefillRunner | undefined;
  const service = await startService({
    name: 'stock-refill-scheduler',
    schema: SchedulerEnv,
    env,
    async setup({ config, logger, bus }, mongo) {
      const outbox = ordersOutbox({ db: mongo.db, bus, logger });
      const refills = new RefillRunner({
        client: mongo.client,
        db: mongo.db,
        outbox,
        logger,
        publish: (eventId) => relayUntilPublished(outbox, mongo.db, eventId),
      });
      runner = refills;
      let task: ScheduledTask | undefined;
      return {
        start: async () => {
          task = createTask(config.STOCK_REFILL_CRON, () => refills.run(), { name: 'stock-refill' });
          await task.start();
          logger.info(
            { cron: config.STOCK_REFILL_CRON, next_run: task.getNextRun() },
            'stock refill scheduled',
          );
        },
        stop: async () => {
          await task?.destroy();
          await refills.idle();
        },
      };
    },
  });
  const refills = runner!;
  return { ...service, runOnce: () => refills.run() };
}

if (require.main === module) runMain('stock-refill-scheduler', () => startScheduler());
