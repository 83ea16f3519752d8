import { deepStrictEqual } from 'node:assert/strict';

/** A decider: pure functions over a state, a command and its events (or a rejection). */
export interface Decider<S, C, E, R> {
  initialState(): S;
  decide(command: C, state: S): E[] | R;
  evolve(state: S, event: E): S;
}

/**
 * Decider tests that read given / when / then: given the events so far, when a command comes, then these
 * events happen (or this rejection). `state` is the state the given events fold into.
 */
export function deciderSpec<S, C, E, R>(decider: Decider<S, C, E, R>) {
  return {
    given(events: readonly E[]) {
      const state = events.reduce(decider.evolve, decider.initialState());
      return {
        state,
        when: (command: C) => ({
          then: (expected: readonly E[] | R) => deepStrictEqual(decider.decide(command, state), expected),
        }),
      };
    },
  };
}
