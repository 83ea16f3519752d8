import { BaseEnv, MongoEnv } from '@pizza/shared';
import { validate } from 'node-cron';
import { z } from 'zod';

/** The one-shot refill: MongoDB for the stock, Redis for the `menu.restocked` event. */
export const RefillEnv = BaseEnv.pick({ REDIS_URL: true, LOG_LEVEL: true }).extend(MongoEnv.shape);

export const DEFAULT_REFILL_CRON = '0 */2 * * *';

/** The scheduler is a long-running process (health, metrics on HTTP_PORT) with a cron expression. */
export const SchedulerEnv = BaseEnv.extend(MongoEnv.shape).extend({
  STOCK_REFILL_CRON: z
    .string()
    .default(DEFAULT_REFILL_CRON)
    .refine((expression) => validate(expression), 'is not a valid cron expression (e.g. "0 */2 * * *")'),
});
