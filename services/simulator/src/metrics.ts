import { counter, gauge } from '@pizza/shared';

/** Where the pending-timers gauge reads from: the most recently started simulator in this process. */
let pendingSource: (() => Promise<number>) | undefined;

export function simulatorMetrics(pending: () => Promise<number>) {
  pendingSource = pending;
  gauge({
    name: 'simulator_timers_pending',
    help: 'Timers scheduled and not yet fired',
    async collect() {
      if (!pendingSource) return;
      try {
        this.set(await pendingSource());
      } catch {
        // Redis is down: readiness reports it; the last value stays.
      }
    },
  });
  return {
    scheduled: counter({
      name: 'simulator_timers_scheduled_total',
      help: 'Timers scheduled (a repeated request is not counted)',
    }),
    fired: counter({
      name: 'simulator_timers_fired_total',
      help: 'Timers fired by this process (status events written)',
    }),
    release(): void {
      if (pendingSource === pending) pendingSource = undefined;
    },
  };
}
export type SimulatorMetrics = ReturnType<typeof simulatorMetrics>;
