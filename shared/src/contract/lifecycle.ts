/**
 * The order's and the delivery's lifecycles, written once, as data. Every other view of the statuses (the
 * zod enums, the steps both services allow, the simulator's steps, the gateway's ranks, the browser's
 * progress line, the step lists of tests and benchmarks) is derived from these by `lifecycle-views.ts`.
 * Adding a status is a change here, plus whatever is genuinely new (a label, a timer delay).
 */
export interface Lifecycle<S extends string = string> {
  /** The way it goes when nothing goes wrong: every status in order, one step at a time. */
  readonly happyPath: readonly [S, ...S[]];
  /** The steps the simulator drives: each is asked for once the status before it on the happy path is reached. */
  readonly simulated: readonly S[];
  /** The status that leaves the happy path early, and the statuses that still allow it; null when none does. */
  readonly cancel: { readonly status: S; readonly from: readonly S[] } | null;
}

/** Both lifecycles and where they meet. */
export interface Lifecycles<O extends string = string, D extends string = string> {
  readonly order: Lifecycle<O>;
  readonly delivery: Lifecycle<D>;
  /** The order status that starts a delivery; the delivery's last status moves the order one step on. */
  readonly deliveryStartsAt: O;
}

export const ORDER_LIFECYCLE = {
  happyPath: ['created', 'confirmed', 'preparing', 'out_for_delivery', 'delivered'],
  simulated: ['confirmed', 'preparing', 'out_for_delivery'],
  cancel: { status: 'cancelled', from: ['created', 'confirmed'] },
} as const satisfies Lifecycle;

export const DELIVERY_LIFECYCLE = {
  happyPath: ['waiting', 'on_the_way', 'delivered'],
  simulated: ['on_the_way', 'delivered'],
  cancel: null,
} as const satisfies Lifecycle;

export const LIFECYCLES = {
  order: ORDER_LIFECYCLE,
  delivery: DELIVERY_LIFECYCLE,
  deliveryStartsAt: 'out_for_delivery',
} as const satisfies Lifecycles;

/** Every status of a lifecycle: the happy path in order, then the one that leaves it. */
export type StatusOf<L extends Lifecycle> =
  L['happyPath'][number] | (L['cancel'] extends { status: infer C } ? C : never);

export function statusesOf<L extends Lifecycle>(lifecycle: L): readonly StatusOf<L>[] {
  const exit = lifecycle.cancel ? [lifecycle.cancel.status] : [];
  return [...lifecycle.happyPath, ...exit] as StatusOf<L>[];
}
