import { deliveryRank, type DeliveryStatus, type OrderStatus } from '@pizza/shared/contract';

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

/** A status a delivery can move to: every one but the first. */
export type LaterStatus = Exclude<DeliveryStatus, 'waiting'>;

/** The one status each status may move to. */
export const NEXT_STATUS: Readonly<Record<DeliveryStatus, LaterStatus | null>> = {
  waiting: 'on_the_way',
  on_the_way: 'delivered',
  delivered: null,
};

/** The one status a delivery must be in to move to `status`; null for the first status. */
export function previousStatus(status: DeliveryStatus): DeliveryStatus | null {
  return (Object.keys(NEXT_STATUS) as DeliveryStatus[]).find((s) => NEXT_STATUS[s] === status) ?? null;
}

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
      next: LaterStatus | null;
    }
  | { kind: 'ignore'; reason: 'repeated' | 'backwards' | 'skipping' };

/** What a reported status does to a delivery in `current`: the one next step applies; anything else is ignored. */
export function decideTransition(
  current: DeliveryStatus,
  requested: DeliveryStatus,
  now: Date,
): TransitionDecision {
  if (requested === current) return { kind: 'ignore', reason: 'repeated' };
  if (deliveryRank(requested) < deliveryRank(current)) return { kind: 'ignore', reason: 'backwards' };
  if (NEXT_STATUS[current] !== requested) return { kind: 'ignore', reason: 'skipping' };
  return { kind: 'apply', from: current, to: requested, at: now, next: NEXT_STATUS[requested] };
}

/** The step the simulator is asked for right after the delivery is created. */
export const FIRST_STEP = 'on_the_way' as const;
