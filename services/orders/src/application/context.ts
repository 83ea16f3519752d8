import type { MongoHandle, Outbox } from '@pizza/shared';
import type { OrderMetrics } from '../metrics';
import { collections, type Collections } from '../store/collections';

/** What the use cases need: MongoDB, the outbox, the clock, the metrics. */
export interface OrdersContext {
  mongo: Pick<MongoHandle, 'client' | 'db'>;
  c: Collections;
  outbox: Pick<Outbox, 'add' | 'wake'>;
  metrics: OrderMetrics;
  clock: () => Date;
  /** Event `source` field. */
  source: string;
  /** Test-only fault hook: runs right after an order's transaction commits, before the outbox is woken. */
  afterCommit?: () => void;
}

export function ordersContext(input: Omit<OrdersContext, 'c'>): OrdersContext {
  return { ...input, c: collections(input.mongo.db) };
}
