import { BaseEnv, FaultEnv, MongoEnv } from '@pizza/shared';

/** The service's name, also the `source` of the events it publishes. */
export const SERVICE = 'delivery';

export const DeliveryEnv = BaseEnv.extend(MongoEnv.shape).extend(FaultEnv.shape);
