import {
  SERVICES,
  traceProtocols,
  TraceMessage,
  WS_TRACE_PATH,
  type TraceEvent,
} from '@pizza/shared/contract';
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { Notice } from '../components/Notice';
import { TextField } from '../components/TextField';
import { useLiveJson } from '../system/useLiveJson';

const time = (iso: string) =>
  new Date(iso).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    fractionalSecondDigits: 3,
    hour12: false,
  });
const OUTCOME = {
  handled: '✓ handled',
  failed: '✗ failed, will retry',
  'dead-lettered': '☠ dead-lettered',
} as const;
const GROUP_LANE: Record<string, number> = Object.fromEntries(SERVICES.map((s, i) => [`${s}-group`, i]));

function EventRow({ event, lane }: { event: TraceEvent; lane: number }) {
  return (
    <li className="grid gap-2 border-t border-stone-200 py-2 md:grid-cols-4">
      <div
        style={{ gridColumnStart: lane + 1 }}
        className="rounded-lg border border-red-300 bg-red-50 p-2 text-xs md:col-span-1"
        aria-label={`${event.event_type} on ${event.stream}`}
      >
        <p className="font-mono text-sm font-semibold">{event.event_type}</p>
        <p>
          {event.stream} · <span className="font-mono">{event.entry_id}</span>
        </p>
        <p>
          by {event.source} at {time(event.timestamp)}
        </p>
        <p className="truncate">
          event <span className="font-mono">{event.event_id.slice(0, 8)}</span>
          {event.causation_id ? (
            <>
              {' '}
              ← caused by <span className="font-mono">{event.causation_id.slice(0, 8)}</span>
            </>
          ) : (
            ' (first)'
          )}
        </p>
        {event.replay_count > 0 && <p className="font-semibold">replayed ×{event.replay_count}</p>}
      </div>
      <ul aria-label={`Handled by`} className="flex flex-wrap gap-1 md:col-span-4 md:row-start-2">
        {event.handled.map((h) => (
          <li
            key={`${h.group}-${h.attempt}-${h.at}`}
            className={`rounded px-2 py-0.5 text-xs ${h.outcome === 'handled' ? 'bg-emerald-100 text-emerald-900' : 'bg-red-100 text-red-900'}`}
            data-lane={GROUP_LANE[h.group]}
          >
            {h.group} {OUTCOME[h.outcome]} (attempt {h.attempt}) at {time(h.at)}
          </li>
        ))}
        {event.handled.length === 0 && <li className="text-xs text-stone-600">not handled yet</li>}
      </ul>
    </li>
  );
}

function FollowForm() {
  const navigate = useNavigate();
  const [orderId, setOrderId] = useState('');
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(`/orders/${encodeURIComponent(orderId.trim())}/trace?token=${encodeURIComponent(token.trim())}`);
  };
  return (
    <form onSubmit={submit} className="grid gap-3 sm:grid-cols-3 sm:items-end">
      <TextField label="Order id" value={orderId} onChange={setOrderId} maxLength={128} autoComplete="off" />
      <TextField
        label="Tracking token"
        value={token}
        onChange={setToken}
        maxLength={256}
        autoComplete="off"
      />
      <button type="submit" className="rounded-lg bg-stone-800 px-4 py-2 font-medium text-white">
        Follow this order
      </button>
    </form>
  );
}

/** One order's causal chain, live: every event in causal order, with each group's attempts in place. */
export function TracePage() {
  const orderId = useParams().id ?? '';
  const token = useSearchParams()[0].get('token') ?? '';
  // The token goes as a subprotocol, never in the socket's URL.
  const path = orderId && token ? `${WS_TRACE_PATH}${encodeURIComponent(orderId)}` : undefined;
  const protocols = useMemo(() => traceProtocols(token), [token]);
  const { data: trace, state } = useLiveJson(path, TraceMessage, protocols);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">How did this happen?</h1>
      {!path && <FollowForm />}
      {path && (
        <p className="text-sm text-stone-600">
          Order <span className="font-mono">{orderId}</span> ·{' '}
          <Link
            to={`/orders/${encodeURIComponent(orderId)}?token=${encodeURIComponent(token)}`}
            className="underline"
          >
            back to tracking
          </Link>{' '}
          · <span role="status">{state === 'live' ? 'live' : state}</span>
        </p>
      )}
      {state === 'not_found' && <Notice tone="error">No such order, or the token does not match.</Notice>}
      {trace && (
        <section aria-labelledby="trace-events" className="space-y-2">
          <h2 id="trace-events" className="text-lg font-semibold">
            {trace.events.length} events, in causal order
          </h2>
          <div
            aria-hidden="true"
            className="hidden grid-cols-4 gap-2 text-center text-xs font-semibold uppercase text-stone-600 md:grid"
          >
            {SERVICES.map((s) => (
              <span key={s}>{s}</span>
            ))}
          </div>
          <ol aria-label="Events in causal order">
            {trace.events.map((event) => (
              <EventRow
                key={`${event.stream}|${event.entry_id}`}
                event={event}
                lane={Math.max(0, SERVICES.indexOf(event.source as (typeof SERVICES)[number]))}
              />
            ))}
          </ol>
          {trace.truncated && (
            <Notice tone="warning">This trace reached its cap; later entries were not recorded.</Notice>
          )}
        </section>
      )}
    </div>
  );
}
