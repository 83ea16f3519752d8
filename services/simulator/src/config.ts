import { z } from 'zod';
import { BaseEnv } from '@pizza/shared';

const delayMs = (fallback: number) => z.coerce.number().int().min(0).max(3_600_000).default(fallback);

/** The simulator's environment: the bus variables plus the delay range of one simulated transition. */
export const SimulatorEnv = BaseEnv.extend({
  SIMULATOR_MIN_DELAY_MS: delayMs(1_000),
  SIMULATOR_MAX_DELAY_MS: delayMs(5_000),
}).superRefine((env, ctx) => {
  if (env.SIMULATOR_MIN_DELAY_MS > env.SIMULATOR_MAX_DELAY_MS) {
    ctx.addIssue({
      code: 'custom',
      path: ['SIMULATOR_MIN_DELAY_MS'],
      message: `must not exceed SIMULATOR_MAX_DELAY_MS (${env.SIMULATOR_MIN_DELAY_MS} > ${env.SIMULATOR_MAX_DELAY_MS})`,
    });
  }
});
export type SimulatorConfig = z.infer<typeof SimulatorEnv>;
