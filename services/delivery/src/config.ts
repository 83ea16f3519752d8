import type { z } from 'zod';
import { BaseEnv, FaultEnv, MongoEnv } from '@pizza/shared';

export const DeliveryEnv = BaseEnv.extend(MongoEnv.shape).extend(FaultEnv.shape);
export type DeliveryConfig = z.infer<typeof DeliveryEnv>;
