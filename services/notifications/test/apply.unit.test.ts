import type { HandlerContext, Logger } from '@pizza/shared';
import type { TrackingUpdate } from '../src/domain/tracking';
import {
  applyUpdate,
  EARLY_RETRY_DELAYS_MS,
  OutOfOrderError,
  type TrackingDeps,
} from '../src/application/apply-tracking-update';
import type { GatewayMetrics } from '../src/metrics';
import type { ApplyOutcome, TrackingCache } from '../src/store/tracking-cache';

const update: TrackingUpdate = {
  orderId: 'o-1',
  eventId: 'e-1',
  rank: 5,
  requires: 4,
  fields: { delivery_status: 'waiting', at: 'x', event_id: 'e-1', ts: 'x' },
};

/** A cache whose apply answers `outcomes` in turn (the last one repeated), recording each call's force flag. */
function setup(outcomes: ApplyOutcome[], options: { attempt?: number; delays?: number[] } = {}) {
  const forces: boolean[] = [];
  const counted: string[] = [];
  const cache = {
    apply: (_update: TrackingUpdate, o: { force: boolean }) => {
      forces.push(o.force);
      return Promise.resolve(outcomes[Math.min(forces.length, outcomes.length) - 1]!);
    },
  } as unknown as TrackingCache;
  const metrics = {
    updates: { inc: (l: { outcome: string }) => counted.push(l.outcome) },
  } as unknown as GatewayMetrics;
  const deps: TrackingDeps = {
    cache,
    metrics,
    maxRetries: 5,
    earlyRetryDelaysMs: options.delays ?? [1, 1, 1],
  };
  const logger = { warn: jest.fn() } as unknown as Logger;
  const ctx = { attempt: options.attempt ?? 1, logger } as unknown as HandlerContext;
  return { deps, ctx, forces, counted };
}

describe('applyUpdate', () => {
  test('an early update whose predecessor lands meanwhile is applied within the same attempt', async () => {
    const s = setup(['early', 'early', 'applied']);
    await applyUpdate(s.deps, update, s.ctx);
    expect(s.forces).toEqual([false, false, false]);
    expect(s.counted).toEqual(['early', 'applied']);
  });

  test('an update still early after the short tries is left for a later attempt', async () => {
    const s = setup(['early']);
    await expect(applyUpdate(s.deps, update, s.ctx)).rejects.toBeInstanceOf(OutOfOrderError);
    expect(s.forces).toHaveLength(4);
    expect(s.counted).toEqual(['early']);
  });

  test('on the last attempt the update is applied anyway, with no extra tries', async () => {
    const s = setup(['applied'], { attempt: 5 });
    await applyUpdate(s.deps, update, s.ctx);
    expect(s.forces).toEqual([true]);
  });

  test('an update that is not early is applied once', async () => {
    for (const outcome of ['applied', 'stale', 'unknown'] as const) {
      const s = setup([outcome]);
      await applyUpdate(s.deps, update, s.ctx);
      expect(s.forces).toHaveLength(1);
    }
  });

  test('the default tries are few and short', () => {
    expect(EARLY_RETRY_DELAYS_MS.length).toBeLessThanOrEqual(3);
    expect(EARLY_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(300);
  });
});
