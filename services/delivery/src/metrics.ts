import { counter } from '@pizza/shared';

export function deliveryMetrics() {
  return {
    created: counter({
      name: 'deliveries_created_total',
      help: 'Deliveries created (one per order out for delivery)',
    }),
    transitions: counter({
      name: 'delivery_transitions_total',
      help: 'Delivery status changes applied',
      labelNames: ['to'],
    }),
    ignored: counter({
      name: 'delivery_transitions_ignored_total',
      help: 'Reported delivery statuses not applied (stale, backwards, skip, terminal)',
      labelNames: ['reason'],
    }),
  };
}
export type DeliveryMetrics = ReturnType<typeof deliveryMetrics>;
