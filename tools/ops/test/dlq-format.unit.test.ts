import type { DeadLetter } from '@pizza/shared';
import { formatList, formatShow, humanAge, truncate } from '../src/dlq/format';

const now = new Date('2025-01-01T12:00:00.000Z');

function letter(overrides: Partial<DeadLetter['meta']> = {}): DeadLetter {
  return {
    id: '1735732800000-0',
    meta: {
      original_stream: 'orders-stream',
      original_id: '1735732790000-0',
      group: 'delivery-group',
      consumer: 'delivery-1',
      attempts: '5',
      last_error: 'boom',
      failed_at: '2025-01-01T11:57:00.000Z',
      ...overrides,
    },
    original: { event_id: 'e1', event_type: 'order.created', payload: '{"order_id":"o1","total":1200}' },
  };
}

describe('dead-letter formatting', () => {
  test.each([
    [0, '0s'],
    [5_400, '5s'],
    [3 * 60_000 + 10_000, '3m'],
    [2 * 3_600_000 + 1, '2h'],
    [3 * 86_400_000, '3d'],
    [-1_000, '0s'],
  ])('an age of %i ms reads %s', (ms, text) => {
    expect(humanAge(ms)).toBe(text);
  });

  test('a long or multi-line error is cut to one line with an ellipsis', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('line one\n  line two', 100)).toBe('line one line two');
    expect(truncate('x'.repeat(20), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  test('the list is a table with id, stream, group, event type, attempts, error and age', () => {
    const text = formatList([letter({ last_error: `${'e'.repeat(100)}` })], 1, now);
    const [header, row, footer] = text.split('\n');
    expect(header).toMatch(/^ID\s+STREAM\s+GROUP\s+EVENT TYPE\s+ATTEMPTS\s+LAST ERROR\s+AGE$/);
    expect(row).toMatch(/^1735732800000-0\s+orders-stream\s+delivery-group\s+order\.created\s+5\s+e{59}…\s+3m$/);
    expect(footer).toBe('1 dead letter(s)');
  });

  test('dead letters of one entry from two groups are two rows that say which group failed', () => {
    const text = formatList([letter(), letter({ group: 'notifications-group' })], 2, now);
    expect(text).toMatch(/orders-stream\s+delivery-group\s+order\.created/);
    expect(text).toMatch(/orders-stream\s+notifications-group\s+order\.created/);
  });

  test('the list says when it shows only the newest, and when there is nothing', () => {
    expect(formatList([letter()], 7, now)).toMatch(/1 of 7 dead letters \(newest first\)$/);
    expect(formatList([], 0, now)).toBe('no dead letters');
  });

  test('show prints every meta and original field, the payload as indented JSON', () => {
    const text = formatShow(letter(), now);
    expect(text).toContain('dead letter 1735732800000-0 (failed 3m ago)');
    for (const field of [
      'original_stream',
      'original_id',
      'group',
      'consumer',
      'attempts',
      'last_error',
      'failed_at',
    ]) {
      expect(text).toMatch(new RegExp(`^  ${field}\\s+\\S`, 'm'));
    }
    expect(text).toMatch(/^ {2}event_type\s+order\.created$/m);
    expect(text).toContain('    {\n      "order_id": "o1",\n      "total": 1200\n    }');
  });

  test('a payload that is not JSON is shown as it is', () => {
    const bad = { ...letter(), original: { event_type: 'x', payload: 'not json' } };
    expect(formatShow(bad, now)).toContain('  payload\n    not json');
  });
});
