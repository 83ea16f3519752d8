import type { LinkState } from '../tracking/useTrackingSocket';

const LOOK: Record<LinkState, { text: string; dot: string }> = {
  connecting: { text: 'Connecting…', dot: 'bg-stone-400' },
  live: { text: 'Live', dot: 'bg-emerald-500 animate-pulse' },
  reconnecting: { text: 'Reconnecting…', dot: 'bg-amber-500' },
  not_found: { text: 'Not live', dot: 'bg-red-600' },
  ended: { text: 'Final', dot: 'bg-stone-500' },
};

/** Says whether the page is following the order live. */
export function LinkIndicator({ state }: { state: LinkState }) {
  const { text, dot } = LOOK[state];
  return (
    <span
      role="status"
      aria-label={`Live updates: ${text}`}
      className="inline-flex items-center gap-2 rounded-full border border-stone-200 bg-white px-3 py-1 text-sm"
    >
      <span aria-hidden="true" className={`h-2.5 w-2.5 rounded-full ${dot}`} />
      {text}
    </span>
  );
}
