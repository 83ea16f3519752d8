import { DEFAULT_STACK_DATA_DIR, UsageError } from '@pizza/shared';
import { parseStackArgs } from './args';

describe('npm start arguments', () => {
  test('no arguments: port 8080, one of each service; PORT applies unless --port is given', () => {
    expect(parseStackArgs([], {})).toEqual({
      port: 8080,
      scale: {},
      quiet: false,
      dataDir: DEFAULT_STACK_DATA_DIR,
      fresh: false,
      help: false,
    });
    expect(parseStackArgs([], { PORT: '9090' }).port).toBe(9090);
    expect(parseStackArgs(['--port', '0'], { PORT: '9090' }).port).toBe(0);
  });

  test('--scale repeats, --quiet and --help are flags', () => {
    expect(
      parseStackArgs(['--scale', 'notifications=2', '--scale', 'simulator=3', '--quiet', '-h'], {}),
    ).toMatchObject({ port: 8080, scale: { notifications: 2, simulator: 3 }, quiet: true, help: true });
  });

  test('--data-dir and --fresh; STACK_DATA_DIR when --data-dir is absent', () => {
    expect(parseStackArgs(['--data-dir', '/srv/pizza', '--fresh'], {})).toMatchObject({
      dataDir: '/srv/pizza',
      fresh: true,
    });
    expect(parseStackArgs([], { STACK_DATA_DIR: '/tmp/pizza' }).dataDir).toBe('/tmp/pizza');
  });

  test.each([
    [['--prot', '80'], {}, /Unknown option '--prot'/],
    [['--port'], {}, /--port/],
    [['serve'], {}, /Unexpected argument 'serve'/],
    [['--port', '70000'], {}, /not a port number: 70000/],
    [[], { PORT: 'eighty' }, /not a port number: eighty/],
    [['--scale', 'kitchen=2'], {}, /--scale kitchen=2: expected SERVICE=N/],
    [['--scale', 'orders=0'], {}, /--scale orders=0/],
  ])('%j with %j is a usage error', (argv, env, message) => {
    expect(() => parseStackArgs(argv, env)).toThrow(UsageError);
    expect(() => parseStackArgs(argv, env)).toThrow(message);
  });
});
