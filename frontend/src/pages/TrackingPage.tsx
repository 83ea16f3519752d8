import { formatCents } from '@pizza/shared/contract';
import { useMutation } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { cancelOrder } from '../api/endpoints';
import { isNotFound } from '../api/errors';
import { LinkIndicator } from '../components/LinkIndicator';
import { Notice } from '../components/Notice';
import { ProgressLine } from '../components/ProgressLine';
import { deliveryLabel, statusLabel } from '../components/statusText';
import { CANCELLABLE_STATUSES } from '../tracking/reducer';
import { useOrderTracking } from '../tracking/useOrderTracking';

export function TrackingPage() {
  const orderId = useParams().id ?? '';
  const token = useSearchParams()[0].get('token') ?? '';
  const { order, state, link, polling, resync } = useOrderTracking(orderId, token);
  const cancel = useMutation({ mutationFn: () => cancelOrder(orderId, token), onSettled: resync });

  // Only the order API decides that an order does not exist: the live link may refuse one it does not know yet.
  if (token === '' || isNotFound(order.error)) {
    return (
      <Notice tone="error">
        <p className="font-semibold">Order not found.</p>
        <p>
          {token === ''
            ? 'This link has no tracking token, and an order can only be shown with it.'
            : 'The shop has no order with this number and token. Orders placed before its data was reset are no longer kept.'}
        </p>
        <Link to="/my-orders" className="mt-2 inline-block underline">
          See my orders
        </Link>
      </Notice>
    );
  }

  const view = order.data;
  const cancellable = state.status !== null && CANCELLABLE_STATUSES.includes(state.status);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold" aria-live="polite">
            {state.status === null ? 'Your order' : statusLabel(state.status)}
          </h1>
          <p className="font-mono text-sm text-stone-500">Order {orderId}</p>
        </div>
        <LinkIndicator state={link} />
      </div>

      {link === 'reconnecting' && polling && (
        <p className="text-sm text-stone-600">
          Live updates are interrupted. Until they are back, this page checks the order every few seconds.
        </p>
      )}
      {link === 'not_found' && (
        <Notice tone="warning">
          Live updates are not available for this order: the tracking service does not know it.
          {polling && ' This page checks the order every few seconds instead.'}
        </Notice>
      )}
      {order.isError && view === undefined && (
        <Notice tone="error">The order could not be loaded: {order.error.message}</Notice>
      )}
      {state.status === null && order.isPending && <p className="text-stone-600">Loading the order…</p>}

      <section aria-labelledby="progress-heading" className="rounded-xl border border-stone-200 bg-white p-5">
        <h2 id="progress-heading" className="sr-only">
          Progress
        </h2>
        <ProgressLine status={state.status} reachedAt={state.reachedAt} />
        <p className="mt-4 text-sm text-stone-700">
          Delivery:{' '}
          <strong>
            {state.deliveryStatus === null ? 'Not assigned yet' : deliveryLabel(state.deliveryStatus)}
          </strong>
        </p>
      </section>

      {cancellable && (
        <div className="flex flex-wrap items-center gap-3">
          <button
            type="button"
            onClick={() => cancel.mutate()}
            disabled={cancel.isPending}
            className="rounded-lg border border-red-700 px-4 py-2 font-medium text-red-700 hover:bg-red-50 disabled:opacity-50"
          >
            {cancel.isPending ? 'Cancelling…' : 'Cancel order'}
          </button>
          <span className="text-sm text-stone-600">Possible until the kitchen starts preparing it.</span>
        </div>
      )}
      {cancel.isError && <Notice tone="error">{cancel.error.message}</Notice>}

      {view && (
        <section aria-labelledby="items-heading" className="rounded-xl border border-stone-200 bg-white p-5">
          <h2 id="items-heading" className="mb-2 font-semibold">
            What you ordered
          </h2>
          <ul className="space-y-1 text-sm">
            {view.items.map((line) => (
              <li key={line.item_id} className="flex justify-between gap-2">
                <span>
                  {line.quantity} × {line.name}
                </span>
                <span className="tabular-nums">{formatCents(line.line_total)}</span>
              </li>
            ))}
          </ul>
          <p className="mt-3 flex justify-between border-t border-stone-200 pt-3 font-semibold">
            Total <span className="tabular-nums">{formatCents(view.total)}</span>
          </p>
          <p className="mt-2 text-sm text-stone-600">
            To {view.customer.name}, {view.customer.address}
          </p>
        </section>
      )}
      <p className="text-sm text-stone-600">Keep this page's link to come back to it from any device.</p>
      <p className="text-sm">
        <Link
          to={`/orders/${encodeURIComponent(orderId)}/trace?token=${encodeURIComponent(token)}`}
          className="font-medium text-red-700 underline"
        >
          How did this happen?
        </Link>{' '}
        (the events behind this order) ·{' '}
        <Link to="/system" className="font-medium text-red-700 underline">
          See the system work
        </Link>
      </p>
    </div>
  );
}
