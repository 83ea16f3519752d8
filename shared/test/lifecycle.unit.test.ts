import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { z } from 'zod';
import {
  checkStep,
  DELIVERY_LIFECYCLE,
  isFinal,
  journeyText,
  LIFECYCLES,
  ORDER_STATUSES,
  progressRank,
  simulatedAfter,
  statusesOf,
  trackingJourney,
  trackingRanks,
  unfinishedStatuses,
  type Lifecycles,
} from '../src/contract';
import { TRACKING_SEQUENCE } from '../src/testing';

/** Every allowed step and every refusal of the order's lifecycle, written out: row = from, column = to. */
const ORDER_STEPS = `
                   created    confirmed  preparing  out_for_delivery  delivered  cancelled
  created          stale      ok         skip       skip              skip       ok
  confirmed        backwards  stale      ok         skip              skip       ok
  preparing        backwards  backwards  stale      ok                skip       not_allowed
  out_for_delivery backwards  backwards  backwards  stale             ok         not_allowed
  delivered        terminal   terminal   terminal   terminal          stale      terminal
  cancelled        terminal   terminal   terminal   terminal          terminal   stale
`;

describe('the order lifecycle', () => {
  const [header, ...rows] = ORDER_STEPS.trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));
  test.each(rows.map((row) => [row[0]!, row.slice(1)]))(
    'from %s, each step is as written',
    (from, expected) => {
      const actual = header!.map((to) => checkStep<string>(LIFECYCLES.order, from, to) ?? 'ok');
      expect(actual).toEqual(expected);
    },
  );

  test('the table covers every status, in the contract order', () => {
    expect(header).toEqual([...ORDER_STATUSES]);
  });

  test('the simulator drives the order from created to out_for_delivery, then the delivery takes over', () => {
    expect(ORDER_STATUSES.map((s) => simulatedAfter<string, string>(LIFECYCLES.order, s))).toEqual([
      'confirmed',
      'preparing',
      'out_for_delivery',
      null,
      null,
      null,
    ]);
    expect(
      DELIVERY_LIFECYCLE.happyPath.map((s) => simulatedAfter<string, string>(DELIVERY_LIFECYCLE, s)),
    ).toEqual(['on_the_way', 'delivered', null]);
  });

  test('a tracker sees eight states, and the gateway ranks them ten apart, cancelled last', () => {
    expect(TRACKING_SEQUENCE).toEqual([
      'created/null',
      'confirmed/null',
      'preparing/null',
      'out_for_delivery/null',
      'out_for_delivery/waiting',
      'out_for_delivery/on_the_way',
      'out_for_delivery/delivered',
      'delivered/delivered',
    ]);
    expect(trackingRanks(LIFECYCLES)).toEqual({
      order: {
        created: { rank: 10, requires: 0 },
        confirmed: { rank: 20, requires: 10 },
        preparing: { rank: 30, requires: 20 },
        out_for_delivery: { rank: 40, requires: 30 },
        delivered: { rank: 80, requires: 70 },
        cancelled: { rank: 90, requires: 10 },
      },
      delivery: {
        waiting: { rank: 50, requires: 40 },
        on_the_way: { rank: 60, requires: 50 },
        delivered: { rank: 70, requires: 60 },
      },
    });
  });
});

describe('adding a status is one change to the definition', () => {
  /** The definition with `baking` between confirmed and preparing, driven by the simulator. */
  const WITH_BAKING = {
    ...LIFECYCLES,
    order: {
      happyPath: ['created', 'confirmed', 'baking', 'preparing', 'out_for_delivery', 'delivered'],
      simulated: ['confirmed', 'baking', 'preparing', 'out_for_delivery'],
      cancel: { status: 'cancelled', from: ['created', 'confirmed'] },
    },
  } as const satisfies Lifecycles;
  const order = WITH_BAKING.order;

  test('the zod enum accepts it, in its place', () => {
    expect(statusesOf(order)).toEqual([
      'created',
      'confirmed',
      'baking',
      'preparing',
      'out_for_delivery',
      'delivered',
      'cancelled',
    ]);
    expect(z.enum(statusesOf(order)).parse('baking')).toBe('baking');
  });

  test('both deciders step through it, and nothing skips it', () => {
    expect(checkStep<string>(order, 'confirmed', 'baking')).toBeNull();
    expect(checkStep<string>(order, 'baking', 'preparing')).toBeNull();
    expect(checkStep<string>(order, 'confirmed', 'preparing')).toBe('skip');
    expect(checkStep<string>(order, 'baking', 'cancelled')).toBe('not_allowed');
  });

  test('the reconcilers watch it for stalls, as every unfinished step', () => {
    expect(unfinishedStatuses<string>(order)).toEqual([
      'created',
      'confirmed',
      'baking',
      'preparing',
      'out_for_delivery',
    ]);
    expect(unfinishedStatuses(DELIVERY_LIFECYCLE)).toEqual(['waiting', 'on_the_way']);
  });

  test('the simulator is asked for it after confirmed, and for preparing after it', () => {
    expect(simulatedAfter<string, string>(order, 'confirmed')).toBe('baking');
    expect(simulatedAfter<string, string>(order, 'baking')).toBe('preparing');
  });

  test('the browser shows it as a step of the progress line, neither first nor final', () => {
    expect(order.happyPath.indexOf('baking')).toBe(2);
    expect(progressRank<string>(order, 'baking')).toBe(2);
    expect(progressRank<string>(order, 'cancelled')).toBe(6);
    expect(isFinal<string>(order, 'baking')).toBe(false);
  });

  test('trackers, tests and the benchmark expect it in the journey, and the gateway ranks it', () => {
    expect(trackingJourney(WITH_BAKING).map((step) => journeyText(step, '-'))).toEqual([
      'created/-',
      'confirmed/-',
      'baking/-',
      'preparing/-',
      'out_for_delivery/-',
      'out_for_delivery/waiting',
      'out_for_delivery/on_the_way',
      'out_for_delivery/delivered',
      'delivered/delivered',
    ]);
    const ranks = trackingRanks(WITH_BAKING);
    expect(ranks.order.baking).toEqual({ rank: 30, requires: 20 });
    expect(ranks.order.preparing).toEqual({ rank: 40, requires: 30 });
    expect(ranks.order.cancelled).toEqual({ rank: 100, requires: 10 });
  });
});

describe('no view of the statuses outside the definition', () => {
  const ROOT = resolve(__dirname, '../..');
  const PRODUCT = ['services', 'frontend/src', 'shared/src', 'tools/bench/src'];
  const DEFINITION = 'shared/src/contract/lifecycle.ts';
  /** Literals that happen to spell a status but mean something else. */
  const NOT_STATUSES: Record<string, string[]> = {
    // a timer's scheduling result
    'services/simulator/src/store/timer-store.ts': ['cancelled'],
    // the canned reply of a bare HTTP server the benchmark compares against
    'tools/bench/src/baselines/http.ts': ['created'],
  };
  const statuses = new Set<string>([...ORDER_STATUSES, ...DELIVERY_LIFECYCLE.happyPath]);

  function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (name === 'node_modules' || name === 'test' || name === 'dist') return [];
      if (statSync(path).isDirectory()) return sources(path);
      return /\.tsx?$/.test(name) ? [path] : [];
    });
  }

  test('product code names a status only through the lifecycle definition', () => {
    const retyped = PRODUCT.flatMap((dir) => sources(join(ROOT, dir)))
      .map((path) => relative(ROOT, path))
      .filter((path) => path !== DEFINITION)
      .flatMap((path) =>
        [...readFileSync(join(ROOT, path), 'utf8').matchAll(/'([a-z_]+)'/g)]
          .map((m) => m[1]!)
          .filter((literal) => statuses.has(literal) && !NOT_STATUSES[path]?.includes(literal))
          .map((literal) => `${path}: '${literal}'`),
      );
    expect(retyped).toEqual([]);
  });
});
