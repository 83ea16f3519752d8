import { runMain, startService, type RunningService } from '@pizza/shared';
import { createTask, type ScheduledTask } from 'node-cron';
import { SchedulerEnv } from './config';
import { opsOutbox } from './outbox';
import { RefillRunner, type RunOutcome } from './refill-runner';

export interface RunningScheduler extends RunningService {
  /** Runs one refill now, under the same one-at-a-time rule as the cron ticks. */
  runOnce(): Promise<RunOutcome>;
}

/**
 * The stock refill on a schedule (STOCK_REFILL_CRON, default every two hours), for docker-compose where
 * there is no CronJob. Health, readiness and metrics on HTTP_PORT; never two refills at once; on SIGTERM
 * it stops the schedule, waits for a running refill, stops the outbox relay and closes (an event still in
 * the outbox stays there for the next relay).
 */
export async function startScheduler(env: NodeJS.ProcessEnv = process.env): Promise<RunningScheduler> {
  let runner: RefillRunner | undefined;
  const service = await startService({
    name: 'stock-refill-scheduler',
    schema: SchedulerEnv,
    env,
    async setup({ config, logger, bus }, mongo) {
      const outbox = opsOutbox({ db: mongo.db, bus, logger });
      const refills = new RefillRunner({
        client: mongo.client,
        db: mongo.db,
        outbox,
        logger,
        afterCommit: () => outbox.wake(),
      });
      runner = refills;
      let task: ScheduledTask | undefined;
      return {
        start: async () => {
          outbox.start();
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
          await outbox.stop();
        },
      };
    },
  });
  const refills = runner!;
  return { ...service, runOnce: () => refills.run() };
}

if (require.main === module) runMain('stock-refill-scheduler', () => startScheduler());
