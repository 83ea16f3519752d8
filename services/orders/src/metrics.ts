import { counter } from '@pizza/shared';

/** The order service's business metrics (HTTP, bus and outbox metrics come from the shared library). */
export function orderMetrics() {
  return {
    created: counter({ name: 'orders_created_total', help: 'Orders placed' }),
    rejected: counter({
      name: 'orders_rejected_total',
      help: 'Order requests refused: out_of_stock, validation, idempotency_reuse',
      labelNames: ['reason'],
    }),
    placeRetries: counter({
      name: 'orders_place_retries_total',
      help: 'Extra runs of the place-order transaction (write conflicts on stock, key races); per order: divide by orders_created_total',
    }),
    transitionsRejected: counter({
      name: 'order_transitions_rejected_total',
      help: 'Status changes refused by the transition table (acked, not dead-lettered)',
      labelNames: ['reason'],
    }),
  };
}
export type OrderMetrics = ReturnType<typeof orderMetrics>;
