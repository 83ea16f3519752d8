import { assembleTrace } from '../src/system-view/trace';

const entry = (stream: string, id: string, eventId: string, causation: string | null, replay = 0) => ({
  [`e|${stream}|${id}`]: JSON.stringify({
    stream,
    entry_id: id,
    event_id: eventId,
    event_type: `type-${eventId}`,
    source: 'orders',
    causation_id: causation,
    timestamp: '2026-01-01T00:00:00.000Z',
    replay_count: replay,
  }),
});
const handled = (stream: string, id: string, group: string, attempt: number, outcome: string, at: string) => ({
  [`h|${stream}|${id}|${group}|${attempt}`]: JSON.stringify({ group, attempt, outcome, at }),
});

test('events come parents first, a replayed entry right after the one it replays, attempts in time order', () => {
  const hash = {
    // The child's entry id is older than its parent's (written on another stream, clocks apart): causation wins.
    ...entry('s2', '5-0', 'child', 'root'),
    ...entry('s1', '6-0', 'root', null),
    ...entry('s1', '9-0', 'other-root', null),
    ...entry('s2', '7-0', 'grandchild', 'child'),
    ...entry('s2', '8-0', 'child', 'root', 1),
    ...handled('s2', '5-0', 'g', 2, 'dead-lettered', '2026-01-01T00:00:02.000Z'),
    ...handled('s2', '5-0', 'g', 1, 'failed', '2026-01-01T00:00:01.000Z'),
    garbage: 'x',
  };
  const trace = assembleTrace('o1', hash);
  expect(trace.events.map((e) => `${e.event_id}@${e.entry_id}`)).toEqual([
    'root@6-0',
    'child@5-0',
    'child@8-0',
    'grandchild@7-0',
    'other-root@9-0',
  ]);
  expect(trace.events[1]!.handled.map((h) => h.outcome)).toEqual(['failed', 'dead-lettered']);
  expect(trace.truncated).toBe(false);
  expect(assembleTrace('o1', { ...hash, truncated: '1' }).truncated).toBe(true);
});
