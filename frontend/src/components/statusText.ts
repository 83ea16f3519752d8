import type { DeliveryStatus, OrderStatus } from '@pizza/shared/contract';

const ORDER_LABELS: Record<OrderStatus, string> = {
  created: 'Received',
  confirmed: 'Confirmed',
  preparing: 'Preparing',
  out_for_delivery: 'Out for delivery',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
};

const DELIVERY_LABELS: Record<DeliveryStatus, string> = {
  waiting: 'Waiting for a courier',
  on_the_way: 'On the way',
  delivered: 'Delivered',
};

export function statusLabel(status: OrderStatus): string {
  return ORDER_LABELS[status];
}

export function deliveryLabel(status: DeliveryStatus): string {
  return DELIVERY_LABELS[status];
}
