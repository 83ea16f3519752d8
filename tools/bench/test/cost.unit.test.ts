import { countDelta, parseCommandStats } from '../src/commandstats';
import { orderCost, type CounterSnapshot } from '../src/cost';
import { parsePsTime } from '../src/cpu-time';

const INFO = [
  '# Commandstats',
  'cmdstat_xadd:calls=120,usec=900,usec_per_call=7.50,rejected_calls=0,failed_calls=0',
  'cmdstat_xreadgroup:calls=300,usec=4000,usec_per_call=13.33,rejected_calls=0,failed_calls=0',
  'cmdstat_info:calls=2,usec=80,usec_per_call=40.00,rejected_calls=0,failed_calls=0',
  'cmdstat_xinfo|groups:calls=7,usec=70,usec_per_call=10.00,rejected_calls=0,failed_calls=0',
  '',
].join('\r\n');

describe('INFO commandstats', () => {
  test('gives the calls of every command, subcommands included', () => {
    expect(parseCommandStats(INFO)).toEqual({ xadd: 120, xreadgroup: 300, info: 2, 'xinfo|groups': 7 });
  });

  test('the delta counts commands first seen in the second reading from zero, and drops excluded and unchanged ones', () => {
    expect(
      countDelta({ xadd: 100, info: 1, ping: 4 }, { xadd: 130, info: 3, ping: 4, xack: 12 }, ['info']),
    ).toEqual({
      xadd: 30,
      xack: 12,
    });
  });
});

describe('cost per order', () => {
  const start: CounterSnapshot = {
    atMs: 1_000,
    cpu: [
      { pid: 1, label: 'orders', ms: 5_000 },
      { pid: 2, label: 'mongo-lite', ms: 2_000 },
      { pid: 3, label: 'gateway', ms: undefined },
    ],
    redisCalls: { xadd: 100, info: 1 },
    mongoOps: { insert: 10, command: 50, query: 0 },
  };
  const end: CounterSnapshot = {
    atMs: 11_000,
    cpu: [
      { pid: 1, label: 'orders', ms: 5_460 },
      { pid: 2, label: 'mongo-lite', ms: 2_340 },
      { pid: 3, label: 'gateway', ms: 900 },
    ],
    redisCalls: { xadd: 460, xack: 300, info: 2 },
    mongoOps: { insert: 50, command: 171, query: 20 },
  };

  test('divides each process CPU, Redis commands and MongoDB operations by the orders delivered', () => {
    const cost = orderCost(start, end, 20);
    expect(cost.windowMs).toBe(10_000);
    expect(cost.cpuMsPerOrder).toEqual([
      { label: 'orders', ms: 23 },
      { label: 'mongo-lite', ms: 17 },
      { label: 'gateway', ms: undefined },
    ]);
    expect(cost.totalCpuMsPerOrder).toBe(40);
    expect(cost.partial).toBe(true);
    // The bench's own INFO and closing serverStatus are not the stack's.
    expect(cost.redisPerOrder).toEqual({ total: 33, byCommand: { xadd: 18, xack: 15 } });
    expect(cost.mongoPerOrder).toEqual({ total: 9, byOp: { command: 6, insert: 2, query: 1 } });
  });

  test('a process that went away between the readings has no figure, and no server counters mean none', () => {
    const cost = orderCost(
      { ...start, redisCalls: undefined, mongoOps: undefined },
      { ...end, cpu: end.cpu.filter((c) => c.pid !== 2), mongoOps: undefined },
      20,
    );
    expect(cost.cpuMsPerOrder[1]).toEqual({ label: 'mongo-lite', ms: undefined });
    expect(cost.totalCpuMsPerOrder).toBe(23);
    expect(cost.redisPerOrder).toBeUndefined();
    expect(cost.mongoPerOrder).toBeUndefined();
  });
});

describe('ps -o time=', () => {
  test.each([
    ['00:01:05', 65_000],
    ['  01:02:03\n', 3_723_000],
    ['2-00:00:01', 172_801_000],
    ['0:01.25', 1_250],
    ['12:34.5', 754_500],
  ])('%j is %d ms', (text, expected) => {
    expect(parsePsTime(text)).toBe(expected);
  });

  test('anything else is unknown', () => {
    expect(parsePsTime('')).toBeUndefined();
    expect(parsePsTime('1 second')).toBeUndefined();
  });
});
