import { TraceEvent, TraceHandling, type TraceMessage } from '@pizza/shared';

function compareIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}

/**
 * A trace hash (see `HandledReports`) as a message: entries in causal order (an event before the events it
 * caused; otherwise by entry id, which is one clock across streams), each with the groups' attempts in time
 * order. A replayed entry is a second entry of the same event, placed right after the first.
 */
export function assembleTrace(orderId: string, hash: Record<string, string>): TraceMessage {
  const events = new Map<string, TraceEvent>();
  const handlings: [string, TraceHandling][] = [];
  for (const [field, value] of Object.entries(hash)) {
    const [kind, stream, id] = field.split('|');
    let json: unknown;
    try {
      json = JSON.parse(value);
    } catch {
      continue;
    }
    if (kind === 'e') {
      const event = TraceEvent.omit({ handled: true }).safeParse(json);
      if (event.success) events.set(`${stream}|${id}`, { ...event.data, handled: [] });
    } else if (kind === 'h') {
      const handling = TraceHandling.safeParse(json);
      if (handling.success) handlings.push([`${stream}|${id}`, handling.data]);
    }
  }
  for (const [key, handling] of handlings) events.get(key)?.handled.push(handling);
  for (const event of events.values())
    event.handled.sort((a, b) => a.at.localeCompare(b.at) || a.attempt - b.attempt);

  const byEventId = new Map<string, TraceEvent[]>();
  for (const event of [...events.values()].sort((a, b) => compareIds(a.entry_id, b.entry_id))) {
    byEventId.set(event.event_id, [...(byEventId.get(event.event_id) ?? []), event]);
  }
  const children = new Map<string, string[]>();
  const roots: string[] = [];
  for (const [eventId, [first]] of byEventId) {
    const parent = first!.causation_id;
    if (parent && byEventId.has(parent) && parent !== eventId)
      children.set(parent, [...(children.get(parent) ?? []), eventId]);
    else roots.push(eventId);
  }
  // Parents before children; among events whose causes are all listed, the oldest entry first (a timeline).
  const ordered: TraceEvent[] = [];
  const firstId = (eventId: string) => byEventId.get(eventId)![0]!.entry_id;
  const ready = [...roots];
  while (ready.length > 0) {
    ready.sort((a, b) => compareIds(firstId(a), firstId(b)));
    const eventId = ready.shift()!;
    ordered.push(...byEventId.get(eventId)!);
    ready.push(...(children.get(eventId) ?? []));
  }
  return { type: 'trace', order_id: orderId, events: ordered, truncated: hash.truncated === '1' };
}
