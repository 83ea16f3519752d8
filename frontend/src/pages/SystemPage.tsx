import { ORDER_STATUSES, SystemSnapshot, WS_SYSTEM_PATH } from '@pizza/shared/contract';
import { statusLabel } from '../components/statusText';
import { DemoLoadControl } from '../system/DemoLoadControl';
import { StreamCard } from '../system/StreamCard';
import { TopologyDiagram } from '../system/TopologyDiagram';
import { useLiveJson } from '../system/useLiveJson';

const LIVE_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  not_found: 'Unavailable',
};

/** The live system view: pushed once a second by the gateway, the same for every visitor. */
export function SystemPage() {
  const { data: snapshot, state } = useLiveJson(WS_SYSTEM_PATH, SystemSnapshot);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-bold">The system, live</h1>
        <p className="text-sm text-stone-600" role="status">
          {LIVE_TEXT[state]}
          {snapshot && ` · ${new Date(snapshot.at).toLocaleTimeString()}`}
        </p>
      </div>
      <section aria-labelledby="overview" className="grid gap-3 sm:grid-cols-3">
        <h2 id="overview" className="sr-only">
          Overview
        </h2>
        <dl className="rounded-lg border border-stone-200 bg-white p-3 text-sm sm:col-span-2">
          <dt className="font-semibold">Orders by status</dt>
          <dd className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
            {ORDER_STATUSES.map((status) => (
              <span key={status}>
                {statusLabel(status)}:{' '}
                <strong className="tabular-nums">{snapshot?.orders_by_status[status] ?? '–'}</strong>
              </span>
            ))}
          </dd>
        </dl>
        <dl className="rounded-lg border border-stone-200 bg-white p-3 text-sm">
          <div className="flex justify-between gap-2">
            <dt>Delivered in the last minute</dt>
            <dd className="font-semibold tabular-nums">{snapshot?.delivered_last_minute ?? '–'}</dd>
          </div>
          <div className="flex justify-between gap-2">
            <dt>Dead letters</dt>
            <dd className="font-semibold tabular-nums">{snapshot?.dead_letters ?? '–'}</dd>
          </div>
        </dl>
      </section>
      <section aria-labelledby="services" className="space-y-2">
        <h2 id="services" className="text-lg font-semibold">
          Services
        </h2>
        <ul className="grid gap-2 sm:grid-cols-2 lg:grid-cols-4">
          {(snapshot?.services ?? []).map((s) => (
            <li key={s.service} className="rounded-lg border border-stone-200 bg-white p-3 text-sm">
              <p className="font-semibold">
                {s.service}{' '}
                <span className={s.alive ? 'text-emerald-800' : 'text-red-800'}>
                  {s.alive ? '● alive' : '○ silent'}
                </span>
              </p>
              <p className="text-xs text-stone-600">
                last read {s.idle_ms === null ? 'never' : `${(s.idle_ms / 1000).toFixed(1)} s ago`}
                {' · '}outbox {s.outbox_age_s === null ? 'n/a' : `oldest ${s.outbox_age_s.toFixed(1)} s`}
              </p>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="topology" className="hidden space-y-2 md:block">
        <h2 id="topology" className="text-lg font-semibold">
          Topology
        </h2>
        <TopologyDiagram snapshot={snapshot} />
      </section>
      <section aria-labelledby="streams" className="space-y-2">
        <h2 id="streams" className="text-lg font-semibold">
          Streams
        </h2>
        <div className="grid gap-3 lg:grid-cols-2">
          {(snapshot?.streams ?? []).map((stream) => (
            <StreamCard key={stream.stream} stream={stream} />
          ))}
        </div>
      </section>
      <DemoLoadControl />
    </div>
  );
}
