import type { StreamView } from '@pizza/shared/contract';
import { STREAM_TOPOLOGY, type StreamName } from '@pizza/shared/contract';
import { formatRate } from './flow';
import { Sparkline } from './Sparkline';

/** One stream as text: who writes it, its rate and history, and each reading group's numbers. */
export function StreamCard({ stream }: { stream: StreamView }) {
  const topology = STREAM_TOPOLOGY[stream.stream as StreamName];
  const id = `stream-${stream.stream}`;
  return (
    <article aria-labelledby={id} className="space-y-2 rounded-lg border border-stone-200 bg-white p-3">
      <div className="flex items-start justify-between gap-2">
        <div>
          <h3 id={id} className="font-mono text-sm font-semibold">
            {stream.stream}
          </h3>
          <p className="text-xs text-stone-600">
            written by {topology?.producers.join(', ') ?? '?'} · {stream.length} entries
          </p>
        </div>
        <div className="flex items-center gap-2">
          <Sparkline values={stream.history} />
          <p className="w-16 text-right text-sm tabular-nums">
            <span className="sr-only">Rate: </span>
            <span data-rate>{formatRate(stream.rate)}</span>
          </p>
        </div>
      </div>
      {stream.groups.length > 0 && (
        <ul aria-label={`Groups reading ${stream.stream}`} className="space-y-1 text-xs">
          {stream.groups.map((g) => (
            <li key={g.group} className="flex flex-wrap gap-x-3 rounded bg-stone-50 px-2 py-1">
              <span className="font-mono font-medium">{g.group}</span>
              <span>lag {g.lag ?? '?'}</span>
              <span>pending {g.pending}</span>
              <span>
                {g.consumers} consumer{g.consumers === 1 ? '' : 's'}
              </span>
              <span>retried {g.retried}</span>
              <span className={g.dead_lettered > 0 ? 'font-semibold text-red-800' : undefined}>
                dead-lettered {g.dead_lettered}
              </span>
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
