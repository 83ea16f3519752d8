// First: tracing patches express, ioredis and mongodb as they load (only when OTEL_EXPORTER_OTLP_ENDPOINT is set).
import '@pizza/shared/tracing/register';
import { GROUPS, runMain, startService, STREAMS, type RunningService } from '@pizza/shared';
import { SimulatorEnv } from './config';
import { FiringLoop } from './firing-loop';
import { simulatorHandlers } from './handlers';
import { simulatorMetrics } from './metrics';
import { TimerStore, WakeUpSubscriber } from './store/timer-store';

/** The simulator: durable timers in Redis that advance orders and deliveries one step at a time. */
export function start(env: NodeJS.ProcessEnv = process.env): Promise<RunningService> {
  return startService({
    name: 'simulator',
    schema: SimulatorEnv,
    env,
    async setup({ config, bus, logger }) {
      const store = new TimerStore(bus.redis);
      const metrics = simulatorMetrics(() => store.pending());
      const loop = new FiringLoop({
        fireDue: (n) => store.fireDue(n),
        logger,
        onFired: (n) => metrics.fired.inc(n),
      });
      const wakeUps = new WakeUpSubscriber({
        redisUrl: config.REDIS_URL,
        name: 'simulator',
        logger,
        onScheduled: (delayMs) => loop.wakeWithin(delayMs),
        onResubscribed: () => loop.wake(),
      });
      const deps = {
        store,
        metrics,
        delays: { minMs: config.SIMULATOR_MIN_DELAY_MS, maxMs: config.SIMULATOR_MAX_DELAY_MS },
        wake: () => loop.wake(),
      };
      return {
        consumers: [
          {
            group: GROUPS.simulator,
            streams: [STREAMS.simulateOrder, STREAMS.simulateDelivery, STREAMS.orders],
            handlers: simulatorHandlers(deps),
          },
        ],
        // Subscribed before the first look, so no timer scheduled elsewhere falls between the two.
        start: async () => {
          await wakeUps.start();
          loop.start();
        },
        stop: async () => {
          await loop.stop();
          await wakeUps.stop();
          metrics.release();
        },
      };
    },
  });
}

if (require.main === module) runMain('simulator', () => start());
