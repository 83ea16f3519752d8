import { Outbox, type OutboxOptions } from '@pizza/shared';

/**
 * The ops tools' own outbox: its own lease name and collection, so its relay publishes only the events
 * the refill wrote, never the order or delivery services' entries in the same database.
 */
export const OPS_OUTBOX = { name: 'ops', collection: 'ops_outbox' } as const;

export function opsOutbox(deps: Pick<OutboxOptions, 'db' | 'bus' | 'logger'>): Outbox {
  return new Outbox({ ...deps, ...OPS_OUTBOX });
}
