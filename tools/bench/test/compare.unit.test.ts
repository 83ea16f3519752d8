import { compareSides, markdownTable } from '../src/compare';
import type { OrderCost } from '../src/cost';
import { newCounts } from '../src/orders';
import type { PhaseResult } from '../src/phase';
import type { ScenarioResult } from '../src/results';
import { summarize } from '../src/stats';

function phase(
  rate: number,
  figures: { delivered: number; postMs: number; cpu: Record<string, number>; redis: number; mongo?: number },
): PhaseResult {
  const cost: OrderCost = {
    orders: 100,
    windowMs: 10_000,
    cpuMsPerOrder: Object.entries(figures.cpu).map(([label, ms]) => ({ label, ms })),
    totalCpuMsPerOrder: Object.values(figures.cpu).reduce((a, b) => a + b, 0),
    partial: false,
    redisPerOrder: { total: figures.redis, byCommand: {} },
    mongoPerOrder: figures.mongo === undefined ? undefined : { total: figures.mongo, byOp: {} },
  };
  const latency = summarize([figures.postMs]);
  return {
    name: `${rate}/s`,
    load: `${rate} orders/s offered`,
    offeredPerSecond: rate,
    durationMs: 60_000,
    elapsedMs: 60_000,
    window: { fromMs: 0, toMs: 60_000 },
    counts: { ...newCounts(), sent: 100, accepted: 100 },
    skippedArrivals: 0,
    acceptedPerSecond: rate,
    deliveredPerSecond: figures.delivered,
    drainMs: 50,
    post: latency,
    shed: summarize([]),
    postToFirstPush: latency,
    postToDelivered: latency,
    peakOpenWebSockets: 10,
    cost,
    trackers: { total: 100, delivered: 100, failed: 0, badJourneys: 0, examples: [] },
  };
}

function side(
  name: string,
  rates: PhaseResult[],
  saturation: number,
  extra: Partial<ScenarioResult> = {},
): ScenarioResult {
  return {
    side: name,
    startedAt: '2026-01-01T00:00:00.000Z',
    machine: { cpus: 2, model: 'test', node: 'v20', loadAverageAtStart: [0, 0, 0] },
    target: { url: 'http://localhost:1', ownStack: true, infrastructure: [] },
    cpuSource: 'proc',
    baselines: {},
    rates,
    search: {
      sustained: '',
      objective: '',
      thresholdMs: 100,
      backlogMs: 2000,
      stepOrders: 1000,
      points: [],
      saturation,
    },
    processes: [],
    invariants: [{ name: 'stock conserved', ok: true, detail: '' }],
    notes: [],
    ...extra,
  };
}

describe('before/after table', () => {
  const before = side(
    'before',
    [phase(10, { delivered: 10, postMs: 12, cpu: { orders: 23, redis: 6 }, redis: 200 })],
    35,
    {
      commit: 'a'.repeat(40),
      ref: 'main',
    },
  );
  const after = side(
    'after',
    [
      phase(10, { delivered: 10, postMs: 3, cpu: { orders: 4, redis: 2, gateway: 1 }, redis: 50, mongo: 12 }),
      phase(20, { delivered: 20, postMs: 3, cpu: { orders: 3 }, redis: 40, mongo: 10 }),
    ],
    140,
  );
  const rows = compareSides(before, after).split('\n');
  const row = (figure: string) => rows.filter((r) => r.startsWith(`| ${figure} |`));

  test('puts each figure of both sides on one row with the ratio after/before', () => {
    expect(rows[0]).toBe(`| figure | before (main ${'a'.repeat(8)}) | after | after/before |`);
    expect(row('saturation: highest sustained offered orders/s')).toEqual([
      '| saturation: highest sustained offered orders/s | 35 | 140 | ×4.00 |',
    ]);
    expect(row('CPU ms per order, whole stack')[0]).toBe(
      '| CPU ms per order, whole stack | 29.0 | 7.0 | ×0.24 |',
    );
    expect(row('POST p50')[0]).toBe('| POST p50 | 12.0 ms | 3.00 ms | ×0.25 |');
    expect(row('Redis commands per order')[0]).toBe('| Redis commands per order | 200.0 | 50.0 | ×0.25 |');
  });

  test('every process of either side gets a row, and what one side did not measure is n/a', () => {
    expect(row('CPU ms per order, gateway')[0]).toBe('| CPU ms per order, gateway | n/a | 1.0 |  |');
    expect(row('MongoDB operations per order')[0]).toBe('| MongoDB operations per order | n/a | 12.0 |  |');
    // A rate only the after side ran: its before column is all n/a.
    expect(rows.find((r) => r.startsWith('| **at 20/s**'))).toBe(
      '| **at 20/s**: delivered orders/s | n/a | 20.0 |  |',
    );
  });

  test('says whether the invariants held on each side', () => {
    const failed = side('after', [], 1, { invariants: [{ name: 'stock conserved', ok: false, detail: '' }] });
    expect(compareSides(before, failed)).toContain(
      'before: all invariants hold; after: FAILED: stock conserved.',
    );
  });

  test('markdown: a header, an alignment line with numbers right-aligned, then the rows', () => {
    expect(markdownTable(['a', 'b'], [['x', '1']])).toBe('| a | b |\n| --- | ---: |\n| x | 1 |');
  });
});
