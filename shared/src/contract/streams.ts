/** Every Redis stream in the system (docs/contract.md), `menu-stream` among them for stock broadcasts. */
export const STREAMS = {
  orders: 'orders-stream',
  deliveries: 'deliveries-stream',
  orderStatus: 'order-status-stream',
  deliveryStatus: 'delivery-status-stream',
  simulateOrder: 'simulate-order-stream',
  simulateDelivery: 'simulate-delivery-stream',
  menu: 'menu-stream',
  deadLetters: 'dead-letters',
} as const;
export type StreamName = (typeof STREAMS)[keyof typeof STREAMS];

/** One consumer group per service. */
export const GROUPS = {
  orders: 'orders-group',
  delivery: 'delivery-group',
  notifications: 'notifications-group',
  simulator: 'simulator-group',
} as const;
