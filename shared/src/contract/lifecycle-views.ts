import type { Lifecycle, Lifecycles } from './lifecycle';

/**
 * Views derived from a lifecycle definition (lifecycle.ts). Each takes the definition as an argument, so a
 * test can derive every view from a lifecycle with an extra status and see it arrive everywhere.
 */

/** Why a step is refused: one vocabulary for the order and the delivery. */
export type StepRejection =
  /** it already has that status (a late or repeated event) */
  | 'stale'
  /** the status lies behind the current one */
  | 'backwards'
  /** the status lies more than one step ahead */
  | 'skip'
  /** the lifecycle has ended (the last status, or cancelled) */
  | 'terminal'
  /** any other move, e.g. cancelling once that is no longer allowed */
  | 'not_allowed';

export interface Rejection {
  readonly rejected: StepRejection;
}

/** A decider answers with events or a rejection; this tells them apart. */
export function isRejection<E>(decision: readonly E[] | Rejection): decision is Rejection {
  return !Array.isArray(decision);
}

/** The happy-path status after `status`; null at its end, or off it. */
export function nextOnPath<S extends string>(lifecycle: Lifecycle<S>, status: S): S | null {
  const index = lifecycle.happyPath.indexOf(status);
  return index < 0 ? null : (lifecycle.happyPath[index + 1] ?? null);
}

/** The last status of the happy path, or the one that leaves it: nothing follows either. */
export function isFinal<S extends string>(lifecycle: Lifecycle<S>, status: S): boolean {
  return status === lifecycle.happyPath.at(-1) || status === lifecycle.cancel?.status;
}

/** The happy-path statuses that still expect a next step: where an aggregate can stall. */
export function unfinishedStatuses<S extends string>(lifecycle: Lifecycle<S>): S[] {
  return lifecycle.happyPath.filter((status) => !isFinal(lifecycle, status));
}

/** How far along a status is: its place on the happy path; leaving it early comes after every step. */
export function progressRank<S extends string>(lifecycle: Lifecycle<S>, status: S): number {
  const index = lifecycle.happyPath.indexOf(status);
  return index >= 0 ? index : lifecycle.happyPath.length;
}

/** Null when `from` may move to `to` (the next happy-path step, or cancelling where allowed); else why not. */
export function checkStep<S extends string>(lifecycle: Lifecycle<S>, from: S, to: S): StepRejection | null {
  if (to === nextOnPath(lifecycle, from)) return null;
  if (to === lifecycle.cancel?.status && lifecycle.cancel.from.includes(from)) return null;
  if (from === to) return 'stale';
  if (isFinal(lifecycle, from)) return 'terminal';
  const [a, b] = [lifecycle.happyPath.indexOf(from), lifecycle.happyPath.indexOf(to)];
  if (a >= 0 && b >= 0) return b < a ? 'backwards' : 'skip';
  return 'not_allowed';
}

/** What the simulator is asked for once `status` is reached: the next step, if the simulator drives it. */
export function simulatedAfter<S extends string, Sim extends S>(
  lifecycle: Lifecycle<S> & { readonly simulated: readonly Sim[] },
  status: S,
): Sim | null {
  const [next, simulated]: [S | null, readonly Sim[]] = [nextOnPath(lifecycle, status), lifecycle.simulated];
  return simulated.find((step) => step === next) ?? null;
}

/** One state a tracking client sees: the order's status and its delivery's (null before there is one). */
export interface JourneyStep<O extends string = string, D extends string = string> {
  status: O;
  delivery_status: D | null;
}

/** Every state a tracker of an order that goes the whole way sees, in order. */
export function trackingJourney<O extends string, D extends string>(
  lifecycles: Lifecycles<O, D>,
): JourneyStep<O, D>[] {
  const { order, delivery, deliveryStartsAt } = lifecycles;
  const handoff = order.happyPath.indexOf(deliveryStartsAt);
  const delivered = delivery.happyPath.at(-1) ?? null;
  return [
    ...order.happyPath.slice(0, handoff + 1).map((status) => ({ status, delivery_status: null })),
    ...delivery.happyPath.map((d) => ({ status: deliveryStartsAt, delivery_status: d })),
    ...order.happyPath.slice(handoff + 1).map((status) => ({ status, delivery_status: delivered })),
  ];
}

/** A journey step as test and benchmark lists write it: `status/delivery_status`. */
export function journeyText(step: JourneyStep, none = 'null'): string {
  return `${step.status}/${step.delivery_status ?? none}`;
}

/** Where an update stands in the journey (`rank`) and the rank that must be reached before it (`requires`). */
export interface RankStep {
  rank: number;
  requires: number;
}

/**
 * The gateway's ranks: ten apart along the journey, cancelling after all of it (it needs only the order to
 * be known). The ranks are kept in the gateway's cache, so a new status changes them for cached orders too.
 */
export function trackingRanks<O extends string, D extends string>(
  lifecycles: Lifecycles<O, D>,
): { order: Record<O, RankStep>; delivery: Record<D, RankStep> } {
  const journey = trackingJourney(lifecycles);
  const step = (index: number): RankStep => ({ rank: (index + 1) * 10, requires: index * 10 });
  const order = {} as Record<O, RankStep>;
  const delivery = {} as Record<D, RankStep>;
  journey.forEach((s, index) => {
    if (s.status === lifecycles.deliveryStartsAt && s.delivery_status !== null)
      delivery[s.delivery_status] = step(index);
    else order[s.status] ??= step(index);
  });
  const cancel = lifecycles.order.cancel;
  if (cancel) order[cancel.status] = { rank: (journey.length + 1) * 10, requires: step(0).rank };
  return { order, delivery };
}
