import { renderTable, type DeadLetter } from '@pizza/shared';

const LAST_ERROR_WIDTH = 60;

/** 5s, 3m, 2h, 4d: the largest whole unit, for a quick look at how long ago something failed. */
export function humanAge(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

/** One line, at most `width` characters, with an ellipsis when cut. */
export function truncate(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= width ? flat : `${flat.slice(0, width - 1)}…`;
}

function ageOf(letter: DeadLetter, now: Date): string {
  const failedAt = Date.parse(letter.meta.failed_at);
  return Number.isNaN(failedAt) ? '?' : humanAge(now.getTime() - failedAt);
}

export function formatList(letters: readonly DeadLetter[], total: number, now: Date): string {
  if (letters.length === 0) return 'no dead letters';
  const rows = letters.map((l) => [
    l.id,
    l.meta.original_stream,
    l.meta.group || '?',
    l.original.event_type ?? '?',
    l.meta.attempts,
    truncate(l.meta.last_error, LAST_ERROR_WIDTH),
    ageOf(l, now),
  ]);
  const table = renderTable(['ID', 'STREAM', 'GROUP', 'EVENT TYPE', 'ATTEMPTS', 'LAST ERROR', 'AGE'], rows);
  const shown =
    letters.length < total
      ? `${letters.length} of ${total} dead letters (newest first)`
      : `${total} dead letter(s)`;
  return `${table}\n${shown}`;
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text; // not JSON: show it as it is
  }
}

function keyValues(fields: Record<string, string>, indent: string): string[] {
  const width = Math.max(0, ...Object.keys(fields).map((k) => k.length));
  return Object.entries(fields).map(([k, v]) => `${indent}${k.padEnd(width)}  ${v}`);
}

/** The whole dead letter: meta, then the original fields, the payload as indented JSON. */
export function formatShow(letter: DeadLetter, now: Date): string {
  const { payload, ...original } = letter.original;
  const lines = [
    `dead letter ${letter.id} (failed ${ageOf(letter, now)} ago)`,
    ...keyValues(letter.meta, '  '),
  ];
  lines.push('original entry', ...keyValues(original, '  '));
  if (payload !== undefined)
    lines.push(
      '  payload',
      ...prettyJson(payload)
        .split('\n')
        .map((l) => `    ${l}`),
    );
  return lines.join('\n');
}
