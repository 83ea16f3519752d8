import { z } from 'zod';
import { BaseEnv, MongoEnv } from '@pizza/shared';

export const DeliveryEnv = BaseEnv.extend(MongoEnv.shape).extend({
  /** Test-only: SIGKILL the process right after the first delivery commits, before the outbox is woken. */
  FAULT_CRASH_AFTER_COMMIT: z.enum(['0', '1']).default('0'),
});
export type DeliveryConfig = z.infer<typeof DeliveryEnv>;
