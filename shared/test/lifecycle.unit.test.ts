import { resolve } from 'node:path';
import type { SourceFile } from 'typescript';
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
import { DELIVERY_STATUSES } from '../src/contract';
import { movesTo, TRACKING_SEQUENCE, upTo } from '../src/testing';
import {
  isTestCode,
  parseSource,
  sourceFiles,
  statusLists,
  statusLiterals,
  statusMatcher,
  type Finding,
} from './status-literals';

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

  test('the step lists tests drive orders along are cut from the definition, so they take it in too', () => {
    expect(upTo(order.simulated, 'out_for_delivery')).toEqual([
      'confirmed',
      'baking',
      'preparing',
      'out_for_delivery',
    ]);
    expect(movesTo(order.happyPath, 'preparing')).toEqual([
      ['created', 'confirmed'],
      ['confirmed', 'baking'],
      ['baking', 'preparing'],
    ]);
  });
});

describe('no view of the statuses outside the definition', () => {
  /** All of the repository's code: product, tests, tools and the test suites of the whole system. */
  const CODE = ['services', 'frontend', 'shared', 'tools', 'test'];
  const DEFINITION = 'shared/src/contract/lifecycle.ts';
  /** This test: it writes the statuses out on purpose, to check every view of the definition against them. */
  const WRITTEN_OUT = 'shared/test/lifecycle.unit.test.ts';
  /** Literals that happen to spell a status but mean something else. */
  const NOT_STATUSES: Record<string, string[]> = {
    // a timer's scheduling result
    'services/simulator/src/store/timer-store.ts': ['cancelled'],
  };
  const isStatus = statusMatcher(ORDER_STATUSES, DELIVERY_STATUSES);
  const where = (f: Finding) => `${f.path}:${f.line}: ${f.text}`;
  let files: SourceFile[] = [];
  beforeAll(() => {
    files = sourceFiles(resolve(__dirname, '../..'), CODE).filter(
      (f) => f.fileName !== DEFINITION && f.fileName !== WRITTEN_OUT,
    );
  });

  test('product code names a status only through the lifecycle definition', () => {
    const retyped = files
      .filter((file) => !isTestCode(file.fileName))
      .flatMap((file) => statusLiterals(file, isStatus))
      .filter((f) => !NOT_STATUSES[f.path]?.includes(JSON.parse(f.text) as string));
    expect(retyped.map(where)).toEqual([]);
  });

  test('no code, tests and tools included, lists statuses by hand: step lists and unions derive from it', () => {
    const lists = files.flatMap((file) => statusLists(file, isStatus));
    expect(lists.map(where)).toEqual([]);
  });

  test('the scan sees every quote style, journey steps and chains of steps, and lets one status or one step pass', () => {
    const sample = parseSource(
      'sample.ts',
      [
        `type Step = "confirmed" | 'preparing';`,
        'drive(order, `confirmed`, "preparing", \'out_for_delivery\');',
        `expect(seen).toEqual(['created/null', 'confirmed/-']);`,
        `const both = ['waiting', 'waiting'];`,
        `changed('created', 'confirmed', 1); moveTo(order, "preparing");`,
        `const path = [o.created(), o.status('created', 'confirmed'), o.status('confirmed', 'preparing')];`,
        `// 'created', 'confirmed' in a comment; 'delivered/s' is no journey step`,
      ].join('\n'),
    );
    expect(statusLists(sample, isStatus).map((f) => [f.line, f.text])).toEqual([
      [1, 'confirmed, preparing'],
      [2, 'confirmed, preparing, out_for_delivery'],
      [3, 'created/null, confirmed/-'],
      [6, 'created → confirmed, confirmed → preparing'],
    ]);
    const literals = parseSource(
      'sample.ts',
      'const a = "created"; const b = `waiting`; const c = \'delivered/s\';',
    );
    expect(statusLiterals(literals, isStatus).map((f) => f.text)).toEqual(['"created"', '"waiting"']);
  });
});
