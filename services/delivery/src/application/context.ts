import type { MongoHandle, Outbox } from '@pizza/shared';
import type { DeliveryMetrics } from '../metrics';
import type { DeliveryStore } from '../store/deliveries';

/** What the use cases need: the database, the outbox, the clock, and an optional hook for fault tests. */
export interface DeliveryContext {
  mongo: Pick<MongoHandle, 'client' | 'db'>;
  store: DeliveryStore;
  outbox: Pick<Outbox, 'add' | 'wake'>;
  metrics: DeliveryMetrics;
  clock(): Date;
  /** Runs right after a delivery is committed and before the outbox is woken (FAULT_CRASH_AFTER_COMMIT). */
  afterCreateCommit?: () => void;
}
