/** Every Redis stream in the system (docs/contract.md), `menu-stream` among them for stock changes. */
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

/** The processes on the bus, as the system view names them. */
export const SERVICES = ['orders', 'delivery', 'notifications', 'simulator'] as const;
export type ServiceName = (typeof SERVICES)[number];
type GroupName = (typeof GROUPS)[keyof typeof GROUPS];

/** The group each service reads with (one per service). */
export const SERVICE_GROUP: Record<ServiceName, GroupName> = {
  orders: GROUPS.orders,
  delivery: GROUPS.delivery,
  notifications: GROUPS.notifications,
  simulator: GROUPS.simulator,
};

/**
 * Who writes each stream and which groups read it: the data the system view draws, and what the
 * services' consumer wiring must agree with (checked by a test). `dead-letters` is written by any consumer.
 */
export const STREAM_TOPOLOGY: Record<
  StreamName,
  { producers: readonly ServiceName[]; groups: readonly GroupName[] }
> = {
  [STREAMS.orders]: {
    producers: ['orders'],
    groups: [GROUPS.delivery, GROUPS.notifications, GROUPS.simulator],
  },
  [STREAMS.simulateOrder]: { producers: ['orders'], groups: [GROUPS.simulator] },
  [STREAMS.orderStatus]: { producers: ['simulator'], groups: [GROUPS.orders] },
  [STREAMS.deliveries]: { producers: ['delivery'], groups: [GROUPS.orders, GROUPS.notifications] },
  [STREAMS.simulateDelivery]: { producers: ['delivery'], groups: [GROUPS.simulator] },
  [STREAMS.deliveryStatus]: { producers: ['simulator'], groups: [GROUPS.delivery] },
  [STREAMS.menu]: { producers: ['orders'], groups: [GROUPS.notifications] },
  [STREAMS.deadLetters]: { producers: [...SERVICES], groups: [] },
};

/** The streams a group reads, from the topology. */
export function streamsReadBy(group: GroupName): StreamName[] {
  return (Object.keys(STREAM_TOPOLOGY) as StreamName[]).filter((s) =>
    STREAM_TOPOLOGY[s].groups.includes(group),
  );
}
