import type { OrderStatus } from '@pizza/shared/contract';

/**
 * Where an order changes status: the one transition table, and the decision it drives.
 *
 *   created → confirmed → preparing → out_for_delivery → delivered
 *   created | confirmed → cancelled
 */
export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  created: ['confirmed', 'cancelled'],
  confirmed: ['preparing', 'cancelled'],
  preparing: ['out_for_delivery'],
  out_for_delivery: ['delivered'],
  delivered: [],
  cancelled: [],
};

/** The happy path, in order: used to tell a skip from a step back. */
const PROGRESSION: readonly OrderStatus[] = [
  'created',
  'confirmed',
  'preparing',
  'out_for_delivery',
  'delivered',
];

/** Statuses the simulator is asked to reach next, after the order arrived at the key status. */
const SIMULATE_AFTER: Partial<Record<OrderStatus, SimulatedStatus>> = {
  created: 'confirmed',
  confirmed: 'preparing',
  preparing: 'out_for_delivery',
};

export type SimulatedStatus = 'confirmed' | 'preparing' | 'out_for_delivery';

/**
 * Why a transition was refused:
 * - `stale`: the order already has that status (a late or repeated event);
 * - `backwards`: the status lies behind the current one;
 * - `skip`: the status lies more than one step ahead;
 * - `terminal`: the order is delivered or cancelled;
 * - `not_allowed`: any other move the table does not list (e.g. cancelling while preparing).
 */
export type RejectionReason = 'stale' | 'backwards' | 'skip' | 'terminal' | 'not_allowed';

export type TransitionDecision =
  | {
      ok: true;
      from: OrderStatus;
      to: OrderStatus;
      timelineEntry: { status: OrderStatus; at: Date };
      /** What the simulator should be asked next, if anything. */
      simulateNext: SimulatedStatus | null;
    }
  | { ok: false; from: OrderStatus; to: OrderStatus; reason: RejectionReason };

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Decides whether an order in `from` may move to `to` at time `at`, and what follows if so. */
export function decideTransition(from: OrderStatus, to: OrderStatus, at: Date): TransitionDecision {
  if (canTransition(from, to)) {
    return { ok: true, from, to, timelineEntry: { status: to, at }, simulateNext: simulationAfter(to) };
  }
  return { ok: false, from, to, reason: rejectionReason(from, to) };
}

/** The simulator's next step once an order has reached `status`; null when it has nothing more to simulate. */
export function simulationAfter(status: OrderStatus): SimulatedStatus | null {
  return SIMULATE_AFTER[status] ?? null;
}

function rejectionReason(from: OrderStatus, to: OrderStatus): RejectionReason {
  if (from === to) return 'stale';
  if (TRANSITIONS[from].length === 0) return 'terminal';
  const [a, b] = [PROGRESSION.indexOf(from), PROGRESSION.indexOf(to)];
  if (a >= 0 && b >= 0) return b < a ? 'backwards' : 'skip';
  return 'not_allowed';
}
