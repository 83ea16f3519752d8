import { parseCliArgs } from '../src/args';

describe('mongo-lite arguments', () => {
  test('defaults, options, --opt=value and mongod’s --bind_ip', () => {
    expect(parseCliArgs([])).toEqual({ port: 27017, exitWithParent: false, help: false });
    expect(
      parseCliArgs(['--port=0', '--dbpath', '/tmp/x', '--exit-with-parent', '--bind_ip', '0.0.0.0']),
    ).toEqual({
      port: 0,
      host: '0.0.0.0',
      dbpath: '/tmp/x',
      exitWithParent: true,
      help: false,
    });
  });

  test.each([
    [['--prot', '1'], /Unknown option '--prot'/],
    [['--port'], /--port/],
    [['27017'], /Unexpected argument '27017'/],
    [['--port=-1'], /--port must be 0..65535/],
    [['--port', '99999'], /--port must be 0..65535/],
  ])('%j is an error naming the problem', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
