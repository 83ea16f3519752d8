/**
 * Step lists for tests, cut from a lifecycle's lists (its happy path, its simulated steps) instead of typed
 * by hand, so a test that drives an order or a delivery along them still holds when a status is added.
 */

/** `steps` from the first up to `status`, inclusive. */
export function upTo<S extends string>(steps: readonly S[], status: S): S[] {
  const end = steps.indexOf(status);
  if (end < 0) throw new Error(`${status} is not one of ${steps.join(', ')}`);
  return steps.slice(0, end + 1);
}

/** Each move along `steps` as [from, to], up to the one that reaches `status` (by default, all of them). */
export function movesTo<S extends string>(
  steps: readonly S[],
  status: S | undefined = steps.at(-1),
): [S, S][] {
  const path = status === undefined ? [] : upTo(steps, status);
  return path.slice(1).map((to, i) => [path[i]!, to]);
}
