import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/errors';
import { useDeadLetters } from '../api/queries';
import { keepAdminToken, readAdminToken } from '../system/adminApi';
import { Notice } from './Notice';

/** The dead-letter count, behind the admin token (kept for this tab's session only). */
export function DeadLetterPanel() {
  const [token, setToken] = useState(readAdminToken);
  const [draft, setDraft] = useState(token);
  const deadLetters = useDeadLetters(token);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = draft.trim();
    keepAdminToken(trimmed);
    setToken(trimmed);
  };

  const refused = deadLetters.error instanceof ApiError && deadLetters.error.status === 401;
  return (
    <div className="space-y-3">
      <form onSubmit={submit} className="flex flex-wrap items-end gap-2">
        <div className="flex-1 space-y-1">
          <label htmlFor="admin-token" className="block text-sm font-medium">
            Admin token
          </label>
          <input
            id="admin-token"
            type="password"
            autoComplete="off"
            value={draft}
            onChange={(event) => setDraft(event.currentTarget.value)}
            className="w-full rounded-lg border border-stone-300 px-3 py-2"
          />
        </div>
        <button
          type="submit"
          className="rounded-lg bg-stone-800 px-4 py-2 font-medium text-white hover:bg-stone-900"
        >
          Show dead letters
        </button>
      </form>
      {token === '' && (
        <p className="text-sm text-stone-600">
          Type the admin token (ADMIN_TOKEN) to see the dead-letter count.
        </p>
      )}
      {deadLetters.isFetching && deadLetters.data === undefined && (
        <p className="text-sm text-stone-600">Loading…</p>
      )}
      {refused && (
        <Notice tone="error">
          That admin token was refused (401). Check it against the services' ADMIN_TOKEN.
        </Notice>
      )}
      {deadLetters.isError && !refused && (
        <Notice tone="error">Dead letters unavailable: {deadLetters.error.message}</Notice>
      )}
      {deadLetters.data && (
        <div className="space-y-2">
          <p className="text-lg">
            Dead letters: <strong className="tabular-nums">{deadLetters.data.count}</strong>
          </p>
          {deadLetters.data.items.length > 0 && (
            <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white text-sm">
              {deadLetters.data.items.slice(0, 10).map((entry) => (
                <li key={entry.id} className="p-2">
                  <span className="font-mono">{entry.event_type}</span> from{' '}
                  <span className="font-mono">{entry.original_stream}</span>, failed in{' '}
                  <span className="font-mono">{entry.group || 'an unknown group'}</span> after {entry.attempts}{' '}
                  attempts: {entry.last_error}
                </li>
              ))}
            </ul>
          )}
          <button type="button" onClick={() => void deadLetters.refetch()} className="text-sm underline">
            Refresh
          </button>
        </div>
      )}
    </div>
  );
}
