import { newCounts } from '../src/orders';
import type { PhaseResult } from '../src/phase';
import { stepDurationMs, whyNotSustained, whyOverObjective } from '../src/search';
import { summarize } from '../src/stats';

const base: Pick<
  PhaseResult,
  'counts' | 'skippedArrivals' | 'drainMs' | 'post' | 'postToFirstPush' | 'trackers'
> = {
  counts: { ...newCounts(), sent: 1000, accepted: 1000 },
  skippedArrivals: 0,
  drainMs: 100,
  post: summarize([5, 10]),
  postToFirstPush: summarize([8, 20]),
  trackers: { total: 1000, delivered: 1000, failed: 0, badJourneys: 0, examples: [] },
};
const step = (over: Partial<PhaseResult>) => ({ ...base, ...over }) as PhaseResult;

describe('saturation search', () => {
  test('a step lasts long enough for the orders asked, and never less than the shortest step', () => {
    expect(stepDurationMs(20, 1000, 5_000)).toBe(50_000);
    expect(stepDurationMs(400, 1000, 5_000)).toBe(5_000);
    expect(stepDurationMs(30, 1000, 0)).toBe(33_334);
  });

  test('sustained: every POST accepted, every order delivered, deliveries keep up', () => {
    expect(whyNotSustained(step({}), 2_000)).toBeUndefined();
    expect(whyNotSustained(step({ counts: { ...base.counts, shed: 3, accepted: 997 } }), 2_000)).toBe(
      '3 POSTs not accepted (3 × 503)',
    );
    expect(whyNotSustained(step({ trackers: { ...base.trackers, delivered: 990 } }), 2_000)).toBe(
      '10 orders not seen delivered',
    );
    expect(whyNotSustained(step({ drainMs: 4_500 }), 2_000)).toBe('last delivery 4.5 s after the last POST');
    expect(whyNotSustained(step({ skippedArrivals: 2 }), 2_000)).toMatch(/2 arrivals skipped/);
  });

  test('the latency objective reads POST p99, then first-push p99', () => {
    expect(whyOverObjective(step({}), 100)).toBeUndefined();
    expect(whyOverObjective(step({ post: summarize([5, 250]) }), 100)).toBe('POST p99 250 ms');
    expect(whyOverObjective(step({ postToFirstPush: summarize([5, 150]) }), 100)).toBe(
      'first-push p99 150 ms',
    );
  });
});
