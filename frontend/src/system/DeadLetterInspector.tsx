import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { queryKeys, useDeadLetters } from '../api/queries';
import { Notice } from '../components/Notice';
import {
  fetchDeadLetter,
  purgeDeadLetters,
  readAdminToken,
  replayDeadLetter,
  type DeadLetterDetail,
} from './adminApi';

/**
 * Dead letters made usable (admin token from the panel above): each with its group, type, error and
 * attempts; one shown in full; replayed one by one, or all purged after a confirmation. The server runs the
 * same functions as `npm run dlq`.
 */
export function DeadLetterInspector() {
  const token = readAdminToken();
  const letters = useDeadLetters(token);
  const client = useQueryClient();
  const [shown, setShown] = useState<DeadLetterDetail | undefined>(undefined);
  const [confirming, setConfirming] = useState(false);
  const refresh = () => client.invalidateQueries({ queryKey: queryKeys.deadLetters(token) });
  const show = useMutation({ mutationFn: (id: string) => fetchDeadLetter(token, id), onSuccess: setShown });
  const replay = useMutation({ mutationFn: (id: string) => replayDeadLetter(token, id), onSettled: refresh });
  const purge = useMutation({ mutationFn: () => purgeDeadLetters(token), onSettled: refresh });

  if (token === '')
    return <p className="text-sm text-stone-600">Show the dead letters with the admin token first.</p>;
  const items = letters.data?.items ?? [];
  const button = 'rounded border border-stone-400 px-2 py-0.5 text-xs font-medium hover:bg-stone-100';
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        <button type="button" className={button} onClick={() => void letters.refetch()}>
          Reload list
        </button>
        {!confirming ? (
          <button
            type="button"
            className={button}
            onClick={() => setConfirming(true)}
            disabled={items.length === 0}
          >
            Purge all…
          </button>
        ) : (
          <span role="group" aria-label="Confirm purge" className="flex flex-wrap items-center gap-2 text-sm">
            Delete all {letters.data?.count ?? 0} dead letters for good?
            <button
              type="button"
              className={`${button} border-red-700 text-red-800`}
              onClick={() => {
                purge.mutate();
                setConfirming(false);
              }}
            >
              Yes, purge all
            </button>
            <button type="button" className={button} onClick={() => setConfirming(false)}>
              Keep them
            </button>
          </span>
        )}
      </div>
      {purge.isSuccess && <Notice tone="info">Purged {purge.data.purged} dead letters.</Notice>}
      {replay.isSuccess && (
        <Notice tone="info">
          Replayed to {replay.data.stream} as {replay.data.new_id}.
        </Notice>
      )}
      {(replay.isError || show.isError || purge.isError) && (
        <Notice tone="error">{(replay.error ?? show.error ?? purge.error)?.message}</Notice>
      )}
      <ul
        aria-label="Dead letters"
        className="divide-y divide-stone-200 rounded-lg border border-stone-200 text-sm"
      >
        {items.map((letter) => (
          <li key={letter.id} className="space-y-1 p-2">
            <p>
              <span className="font-mono font-medium">{letter.event_type || '(no type)'}</span> ·{' '}
              {letter.group || '?'} · {letter.original_stream} · {letter.attempts} attempts
            </p>
            <p className="break-words text-xs text-stone-700">{letter.last_error}</p>
            <div className="flex gap-2">
              <button
                type="button"
                className={button}
                onClick={() => show.mutate(letter.id)}
                aria-label={`Show dead letter ${letter.id}`}
              >
                Show
              </button>
              <button
                type="button"
                className={button}
                onClick={() => replay.mutate(letter.id)}
                aria-label={`Replay dead letter ${letter.id}`}
              >
                Replay
              </button>
            </div>
          </li>
        ))}
        {items.length === 0 && <li className="p-2 text-stone-600">No dead letters.</li>}
      </ul>
      {shown && (
        <section aria-label={`Dead letter ${shown.id}`} className="space-y-1">
          <h3 className="font-semibold">Dead letter {shown.id}</h3>
          <pre className="overflow-x-auto rounded bg-stone-100 p-2 text-xs" tabIndex={0}>
            {JSON.stringify(shown, null, 2)}
          </pre>
        </section>
      )}
    </div>
  );
}
