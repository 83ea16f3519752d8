import { BaseEnv, FaultEnv, MongoEnv, ReconcileEnv } from '@pizza/shared';

/** The service's name, also the `source` of the events it publishes. */
export const SERVICE = 'delivery';

export const DeliveryEnv = BaseEnv.extend(MongoEnv.shape).extend(ReconcileEnv.shape).extend(FaultEnv.shape);
