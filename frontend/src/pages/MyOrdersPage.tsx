import { formatCents, type OrderView } from '@pizza/shared/contract';
import { useQueries } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { fetchOrder } from '../api/endpoints';
import { isNotFound } from '../api/errors';
import { queryKeys } from '../api/queries';
import { statusLabel } from '../components/statusText';
import { forgetOrder, loadMyOrders, trackingPath } from '../tracking/myOrders';
import { isTerminal } from '../tracking/reducer';

const STATUS_REFRESH_MS = 5_000;

/** Orders placed from this browser, each with its current status. */
export function MyOrdersPage() {
  const [placed, setPlaced] = useState(() => loadMyOrders(window.localStorage));
  const views = useQueries({
    queries: placed.map((known) => ({
      queryKey: queryKeys.order(known.id, known.token),
      queryFn: ({ signal }: { signal: AbortSignal }) => fetchOrder(known.id, known.token, signal),
      // A delivered, cancelled or unknown order will not change any more: stop asking.
      refetchInterval: (query: { state: { data?: OrderView; error: unknown } }) =>
        isNotFound(query.state.error) || isTerminal(query.state.data?.status ?? null) ? false : STATUS_REFRESH_MS,
    })),
  });

  const forget = (orderId: string) => {
    forgetOrder(window.localStorage, orderId);
    setPlaced(loadMyOrders(window.localStorage));
  };

  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">My orders</h1>
      {placed.length === 0 ? (
        <p className="text-stone-600">No orders from this browser yet.</p>
      ) : (
        <ul className="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white">
          {placed.map((known, index) => {
            const view = views[index];
            const status = view?.data
              ? statusLabel(view.data.status)
              : isNotFound(view?.error)
                ? 'Not found'
                : view?.isError
                  ? 'Unknown (service unreachable)'
                  : 'Loading…';
            return (
              <li key={known.id} className="flex flex-wrap items-center justify-between gap-3 p-4">
                <div>
                  <Link
                    to={trackingPath(known)}
                    className="font-mono text-sm font-medium text-red-700 underline"
                  >
                    Order {known.id}
                  </Link>
                  <p className="text-sm text-stone-600">
                    Placed {new Date(known.placed_at).toLocaleString()}
                    {view?.data ? ` · ${formatCents(view.data.total)}` : ''}
                  </p>
                </div>
                <div className="flex items-center gap-3">
                  <span className="rounded-full bg-stone-100 px-3 py-1 text-sm font-medium">{status}</span>
                  <button
                    type="button"
                    onClick={() => forget(known.id)}
                    aria-label={`Forget order ${known.id}`}
                    className="text-sm text-stone-600 underline hover:text-red-700"
                  >
                    Forget
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
