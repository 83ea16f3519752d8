import { UsageError } from '@pizza/shared';
import { parseDlqArgs } from '../src/dlq/args';

describe('dlq arguments', () => {
  test.each([
    [['list'], { name: 'list', limit: 100 }],
    [['list', '--limit', '5'], { name: 'list', limit: 5 }],
    [['show', '1-0'], { name: 'show', id: '1-0' }],
    [['replay', '1-0'], { name: 'replay', id: '1-0' }],
    [['replay-all'], { name: 'replay-all' }],
    [['purge'], { name: 'purge', yes: false }],
    [['purge', '--yes'], { name: 'purge', yes: true }],
    [['--help'], { name: 'help' }],
  ])('%j parses', (argv, command) => {
    expect(parseDlqArgs(argv)).toEqual(command);
  });

  test.each([
    [[], /missing command/],
    [['frobnicate'], /unknown command: frobnicate/],
    [['show'], /show needs a dead letter ID/],
    [['replay'], /replay needs a dead letter ID/],
    [['show', '1-0', '2-0'], /unexpected argument: 2-0/],
    [['list', '--limit', '0'], /--limit/],
    [['purge', '--force'], /Unknown option '--force'/],
    [['list', '--limit'], /--limit/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseDlqArgs(argv)).toThrow(UsageError);
    expect(() => parseDlqArgs(argv)).toThrow(message);
  });
});
