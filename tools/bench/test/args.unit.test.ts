import { UsageError } from '@pizza/shared';
import { parseArgs } from '../src/args';
import { parseFanoutArgs } from '../src/fanout/args';

describe('npm run bench arguments', () => {
  test('no arguments: 10 orders/s for 20 s, warm-up, saturation and baselines on', () => {
    expect(parseArgs([], {})).toMatchObject({
      shape: { kind: 'rate', rate: 10 },
      durationMs: 20_000,
      warmupMs: 3_000,
      saturateMs: 5_000,
      saturateConcurrency: 16,
      steps: false,
      baselines: true,
      outDir: 'bench-results',
      pids: [],
      help: false,
    });
  });

  test('each option lands in its field, durations in milliseconds', () => {
    const args = parseArgs(
      [
        '--concurrency',
        '8',
        '--duration',
        '1500ms',
        '--warmup',
        '0',
        '--steps',
        '--step-duration',
        '2m',
        '--threshold',
        '250',
        '--url',
        'http://127.0.0.1:8080',
        '--redis-url',
        'redis://localhost:6379',
        '--pids',
        '12,34',
        '--no-baselines',
        '--out',
        'tmp/results',
      ],
      {},
    );
    expect(args).toMatchObject({
      shape: { kind: 'concurrency', concurrency: 8 },
      durationMs: 1_500,
      warmupMs: 0,
      steps: true,
      stepMs: 120_000,
      thresholdMs: 250,
      url: 'http://127.0.0.1:8080',
      redisUrl: 'redis://localhost:6379',
      pids: [12, 34],
      baselines: false,
      outDir: 'tmp/results',
    });
  });

  test.each([
    [['--rat', '5'], /Unknown option '--rat'/],
    [['--rate'], /--rate/],
    [['extra'], /Unexpected argument 'extra'/],
    [['--rate', '0'], /--rate needs a positive number, got 0/],
    [['--duration', 'soon'], /--duration: not a duration: soon/],
    [['--rate', '5', '--concurrency', '2'], /exclude each other/],
    [['--url', 'http://example.com'], /loopback/],
  ])('%j is a usage error saying what is wrong', (argv, message) => {
    expect(() => parseArgs(argv, {})).toThrow(UsageError);
    expect(() => parseArgs(argv, {})).toThrow(message);
  });
});

describe('npm run bench:ws arguments', () => {
  test('defaults and options', () => {
    expect(parseFanoutArgs([])).toEqual({ goal: 10_000, rate: 2_000, outDir: 'bench-results' });
    expect(parseFanoutArgs(['--connections', '50', '--rate', '10', '--out', 'x'])).toEqual({
      goal: 50,
      rate: 10,
      outDir: 'x',
    });
  });

  test.each([
    [['--connection', '5'], /Unknown option '--connection'/],
    [['--connections', '0'], /--connections needs a positive integer/],
    [['--rate', 'fast'], /--rate needs a positive number/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseFanoutArgs(argv)).toThrow(UsageError);
    expect(() => parseFanoutArgs(argv)).toThrow(message);
  });
});
