import {
  checkStep,
  DELIVERY_LIFECYCLE,
  LIFECYCLES,
  simulatedAfter,
  type DeliveryStatus,
  type EventPayload,
  type OrderStatus,
  type Rejection,
  type SimulatedDeliveryStatus,
} from '@pizza/shared/contract';

/**
 * Where a delivery changes status. The delivery is a decider, pure, with time coming in on each command:
 * `decide(command, state)` answers with the events that happen or a rejection, and `evolve(state, event)` is
 * the state after one event. Every way a status changes is one command:
 * - StartDelivery:        no delivery yet for the order → waiting, and the simulator is asked for the next step;
 * - ApplySimulatedStatus: one happy-path step the simulator drives (on_the_way, delivered), never back.
 * Which steps exist, and which are allowed, is the lifecycle in shared/src/contract/lifecycle.ts.
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

/** Null: the order has no delivery yet. */
export type DeliveryState = Delivery | null;
export const initialState = (): DeliveryState => null;

export type DeliveryCommand =
  | { type: 'StartDelivery'; now: Date; delivery: { id: string; orderId: string; address: string } }
  | { type: 'ApplySimulatedStatus'; now: Date; status: SimulatedDeliveryStatus };

type Published<T extends 'delivery.created' | 'delivery.status_changed' | 'delivery.simulate'> = {
  type: T;
  data: EventPayload<T>;
};
export type DeliveryEvent =
  Published<'delivery.created'> | Published<'delivery.status_changed'> | Published<'delivery.simulate'>;

/** A delivery starts when its order reaches this status, and only then. */
export function startsDelivery(orderStatus: OrderStatus): boolean {
  return orderStatus === LIFECYCLES.deliveryStartsAt;
}

/**
 * A start the order service re-drove: it heard nothing of the delivery for too long, so a delivery that
 * exists answers with what it said. A plain redelivery of the same start is only a repeat.
 */
export function isRedrivenStart(change: EventPayload<'order.status_changed'>): boolean {
  return startsDelivery(change.status) && change.redrive === true;
}

export function decide(command: DeliveryCommand, state: DeliveryState): DeliveryEvent[] | Rejection {
  if (command.type === 'StartDelivery') return state ? { rejected: 'stale' } : started(command);
  if (!state) return { rejected: 'not_allowed' };
  const rejected = checkStep<DeliveryStatus>(DELIVERY_LIFECYCLE, state.status, command.status);
  if (rejected) return { rejected };
  const { id: delivery_id, orderId: order_id, status: from } = state;
  const at = command.now.toISOString();
  const changed: DeliveryEvent = {
    type: 'delivery.status_changed',
    data: { delivery_id, order_id, from, status: command.status, at },
  };
  return [changed, ...simulationAfter(state, command.status)];
}

export function evolve(state: DeliveryState, event: DeliveryEvent): DeliveryState {
  if (event.type === 'delivery.created') {
    const { delivery_id, order_id, status, address } = event.data;
    const at = new Date(event.data.at);
    return {
      id: delivery_id,
      orderId: order_id,
      status,
      address,
      createdAt: at,
      updatedAt: at,
      history: [{ status, at }],
    };
  }
  if (!state || event.type === 'delivery.simulate') return state;
  const { status } = event.data;
  const at = new Date(event.data.at);
  return { ...state, status, updatedAt: at, history: [...state.history, { status, at }] };
}

/** Folds events over one loaded state. */
export function evolveAll(state: DeliveryState, events: readonly DeliveryEvent[]): DeliveryState {
  return events.reduce(evolve, state);
}

function started({ delivery, now }: Extract<DeliveryCommand, { type: 'StartDelivery' }>): DeliveryEvent[] {
  return [createdEvent(delivery, now), ...simulationAfter(delivery, DELIVERY_LIFECYCLE.happyPath[0])];
}

/** The delivery.created that announces `delivery`, created at `at` in the lifecycle's first status. */
export function createdEvent(
  delivery: Pick<Delivery, 'id' | 'orderId' | 'address'>,
  at: Date,
): Published<'delivery.created'> {
  return {
    type: 'delivery.created',
    data: {
      delivery_id: delivery.id,
      order_id: delivery.orderId,
      status: DELIVERY_LIFECYCLE.happyPath[0],
      address: delivery.address,
      at: at.toISOString(),
    },
  };
}

/** The simulator's request for the step after `status`, if the simulator drives it. */
export function simulationAfter(
  delivery: Pick<Delivery, 'id' | 'orderId'>,
  status: DeliveryStatus,
): Published<'delivery.simulate'>[] {
  const next = simulatedAfter(DELIVERY_LIFECYCLE, status);
  if (next === null) return [];
  return [
    {
      type: 'delivery.simulate',
      data: { delivery_id: delivery.id, order_id: delivery.orderId, next_status: next },
    },
  ];
}
