import { DELIVERY_STATUSES, type DeliveryStatus, type OrderStatus } from '@pizza/shared/contract';

/**
 * The delivery's rules, pure: when a delivery is created, and how its status may move.
 * waiting → on_the_way → delivered, one step at a time, never back.
 */
export interface Delivery {
  id: string;
  orderId: string;
  status: DeliveryStatus;
  address: string;
  createdAt: Date;
  updatedAt: Date;
  history: { status: DeliveryStatus; at: Date }[];
}

/** The one status each status may move to. */
export const NEXT_STATUS: Readonly<Record<DeliveryStatus, DeliveryStatus | null>> = {
  waiting: 'on_the_way',
  on_the_way: 'delivered',
  delivered: null,
};

/** A delivery is created when its order goes out for delivery, and only then. */
export function startsDelivery(orderStatus: OrderStatus): boolean {
  return orderStatus === 'out_for_delivery';
}

export function newDelivery(input: { id: string; orderId: string; address: string; now: Date }): Delivery {
  return {
    id: input.id,
    orderId: input.orderId,
    status: 'waiting',
    address: input.address,
    createdAt: input.now,
    updatedAt: input.now,
    history: [{ status: 'waiting', at: input.now }],
  };
}

export type TransitionDecision =
  | {
      kind: 'apply';
      from: DeliveryStatus;
      to: DeliveryStatus;
      at: Date;
      next: 'on_the_way' | 'delivered' | null;
    }
  | { kind: 'ignore'; reason: 'repeated' | 'backwards' | 'skipping' };

const rank = (status: DeliveryStatus) => DELIVERY_STATUSES.indexOf(status);

/** What a reported status does to a delivery in `current`: the one next step applies; anything else is ignored. */
export function decideTransition(
  current: DeliveryStatus,
  requested: DeliveryStatus,
  now: Date,
): TransitionDecision {
  if (requested === current) return { kind: 'ignore', reason: 'repeated' };
  if (rank(requested) < rank(current)) return { kind: 'ignore', reason: 'backwards' };
  if (NEXT_STATUS[current] !== requested) return { kind: 'ignore', reason: 'skipping' };
  const next = NEXT_STATUS[requested];
  return {
    kind: 'apply',
    from: current,
    to: requested,
    at: now,
    next: next === 'on_the_way' || next === 'delivered' ? next : null,
  };
}

/** The step the simulator is asked for right after the delivery is created. */
export const FIRST_STEP = 'on_the_way' as const;
