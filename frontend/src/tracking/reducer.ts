import {
  DELIVERY_LIFECYCLE,
  isFinal,
  ORDER_LIFECYCLE,
  progressRank,
  type DeliveryStatus,
  type OrderStatus,
  type OrderView,
  type StatusMessage,
} from '@pizza/shared/contract';

/**
 * Tracking state as a pure reducer. Messages may repeat, arrive late, or arrive after an HTTP resync,
 * so every input is merged monotonically: a status never goes back, cancelled is terminal, and an
 * event already seen (by event_id) is ignored.
 */

/** The lifecycle's happy path, in order: what the progress line shows (cancelling leaves it). */
export const PROGRESS_STEPS: readonly OrderStatus[] = ORDER_LIFECYCLE.happyPath;
export const CANCELLABLE_STATUSES: readonly OrderStatus[] = ORDER_LIFECYCLE.cancel.from;
/** Enough to catch the repeats of a reconnect without growing for ever. */
const SEEN_EVENTS_KEPT = 200;

export interface TrackingState {
  readonly status: OrderStatus | null;
  readonly deliveryStatus: DeliveryStatus | null;
  /** When each status was reached, as far as we know. */
  readonly reachedAt: Partial<Record<OrderStatus, string>>;
  readonly seenEventIds: readonly string[];
}

export type TrackingAction =
  { type: 'snapshot'; order: OrderView } | { type: 'message'; message: StatusMessage };

export const INITIAL_TRACKING: TrackingState = {
  status: null,
  deliveryStatus: null,
  reachedAt: {},
  seenEventIds: [],
};

/** Nothing follows: the end of the happy path, or cancelled. */
export function isTerminal(status: OrderStatus | null): boolean {
  return status !== null && isFinal<OrderStatus>(ORDER_LIFECYCLE, status);
}

const rank = (status: OrderStatus) => progressRank<OrderStatus>(ORDER_LIFECYCLE, status);
const deliveryRank = (status: DeliveryStatus) => progressRank<DeliveryStatus>(DELIVERY_LIFECYCLE, status);

/** The status to show after learning `next`: whichever is further along; nothing moves a terminal one. */
export function laterStatus(current: OrderStatus | null, next: OrderStatus): OrderStatus {
  if (current === null) return next;
  if (isTerminal(current)) return current;
  return rank(next) > rank(current) ? next : current;
}

function laterDelivery(current: DeliveryStatus | null, next: DeliveryStatus | null): DeliveryStatus | null {
  if (next === null) return current;
  if (current === null) return next;
  return deliveryRank(next) > deliveryRank(current) ? next : current;
}

function withReached(state: TrackingState, status: OrderStatus, at: string): TrackingState['reachedAt'] {
  return state.reachedAt[status] === undefined ? { ...state.reachedAt, [status]: at } : state.reachedAt;
}

export function trackingReducer(state: TrackingState, action: TrackingAction): TrackingState {
  if (action.type === 'snapshot') {
    const { order } = action;
    let reachedAt = state.reachedAt;
    for (const entry of order.timeline)
      reachedAt = withReached({ ...state, reachedAt }, entry.status, entry.at);
    return {
      ...state,
      status: laterStatus(state.status, order.status),
      deliveryStatus: laterDelivery(state.deliveryStatus, order.delivery?.status ?? null),
      reachedAt,
    };
  }
  const { message } = action;
  if (state.seenEventIds.includes(message.event_id)) return state;
  return {
    status: laterStatus(state.status, message.status),
    deliveryStatus: laterDelivery(state.deliveryStatus, message.delivery_status),
    reachedAt: withReached(state, message.status, message.at),
    seenEventIds: [...state.seenEventIds, message.event_id].slice(-SEEN_EVENTS_KEPT),
  };
}
