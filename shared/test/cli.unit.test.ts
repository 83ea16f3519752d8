import { parseCommandLine, renderTable, UsageError } from '../src';

describe('renderTable', () => {
  const rows = [
    ['margherita', '3', '20'],
    ['cola', '150', '5'],
  ];

  test('by default every column is left-aligned, two spaces apart, with no trailing spaces', () => {
    expect(renderTable(['ITEM', 'FROM', 'TO'], rows)).toBe(
      ['ITEM        FROM  TO', 'margherita  3     20', 'cola        150   5'].join('\n'),
    );
  });

  test('figures: the first column left, the numbers right-aligned, a rule under the header', () => {
    expect(renderTable(['item', 'from', 'to'], rows, { figures: true, rule: true })).toBe(
      ['item        from  to', '──────────  ────  ──', 'margherita     3  20', 'cola         150   5'].join(
        '\n',
      ),
    );
  });

  test('a row shorter than the header leaves its missing cells empty', () => {
    expect(renderTable(['A', 'B'], [['x']])).toBe('A  B\nx');
  });
});

describe('parseCommandLine', () => {
  const options = { limit: { type: 'string' }, yes: { type: 'boolean' } } as const;

  test('known options and positionals parse', () => {
    const { values, positionals } = parseCommandLine({
      args: ['list', '--limit', '5', '--yes'],
      options,
      allowPositionals: true,
    });
    expect(values).toEqual({ limit: '5', yes: true });
    expect(positionals).toEqual(['list']);
  });

  test.each([
    [['--limt', '5'], /Unknown option '--limt'/],
    [['--limit'], /--limit/],
    [['stray'], /Unexpected argument 'stray'/],
  ])('%j is a UsageError naming the problem', (args, message) => {
    expect(() => parseCommandLine({ args, options })).toThrow(UsageError);
    expect(() => parseCommandLine({ args, options })).toThrow(message);
  });
});
