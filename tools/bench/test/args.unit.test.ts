import { UsageError } from '@pizza/shared';
import { parseArgs } from '../src/args';

describe('bench arguments', () => {
  test('defaults: 60 s phases at 10 and 20/s, 1,000-order steps, 60 s sustained, 30 s at 2× saturation', () => {
    const a = parseArgs([], {});
    expect(a).toMatchObject({
      rates: [10, 20],
      durationMs: 60_000,
      search: true,
      stepOrders: 1000,
      sustainMs: 60_000,
      overloadMs: 30_000,
      overloadFactor: 2,
      baselines: true,
    });
  });

  test('quick modes shorten every part', () => {
    const a = parseArgs(
      [
        '--rates',
        '5',
        '--duration',
        '2s',
        '--step-orders',
        '20',
        '--sustain',
        '3s',
        '--overload',
        '0',
        '--no-baselines',
        '--baseline-ref',
        'main',
      ],
      {},
    );
    expect(a).toMatchObject({
      rates: [5],
      durationMs: 2000,
      stepOrders: 20,
      sustainMs: 3000,
      overloadMs: 0,
      baselines: false,
      baselineRef: 'main',
    });
  });

  test.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--rates', '0'], /--rates needs a positive number/],
    [['--duration', 'soon'], /--duration: not a duration/],
    [['--url', 'http://example.com'], /loopback/],
    [['--url', 'http://localhost:8080', '--baseline-ref', 'main'], /drop --url/],
    [['--pids', '1'], /only go with --url/],
    [['--refine', '1.5'], /--refine/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseArgs(argv, {})).toThrow(UsageError);
    expect(() => parseArgs(argv, {})).toThrow(message);
  });

  test('with --url, Redis and MongoDB default to REDIS_URL and MONGO_URL', () => {
    const a = parseArgs(['--url', 'http://localhost:8080'], {
      REDIS_URL: 'redis://127.0.0.1:6379',
      MONGO_URL: 'mongodb://127.0.0.1:27017/?replicaSet=rs0',
    });
    expect(a).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6379',
      mongoUrl: 'mongodb://127.0.0.1:27017/?replicaSet=rs0',
    });
  });
});
