import type { CSSProperties } from 'react';
import { ORDER_LIFECYCLE, type OrderStatus } from '@pizza/shared/contract';
import { PROGRESS_STEPS } from '../tracking/reducer';
import { statusLabel } from './statusText';

interface ProgressLineProps {
  status: OrderStatus | null;
  reachedAt: Partial<Record<OrderStatus, string>>;
}

function timeOf(iso: string | undefined): string {
  if (iso === undefined) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ''
    : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** The order's steps as a line of dots; a cancelled order shows where it stopped. */
export function ProgressLine({ status, reachedAt }: ProgressLineProps) {
  const cancelled = status === ORDER_LIFECYCLE.cancel.status;
  const currentIndex = status === null || cancelled ? -1 : PROGRESS_STEPS.indexOf(status);
  return (
    <div>
      <ol
        aria-label="Order progress"
        className="grid grid-cols-1 gap-3 sm:grid-cols-[repeat(var(--steps),minmax(0,1fr))] sm:gap-0"
        style={{ '--steps': PROGRESS_STEPS.length } as CSSProperties}
      >
        {PROGRESS_STEPS.map((step, index) => {
          const done = cancelled ? reachedAt[step] !== undefined : index <= currentIndex;
          const current = index === currentIndex;
          return (
            <li
              key={step}
              aria-current={current ? 'step' : undefined}
              className="relative flex items-center gap-3 sm:flex-col sm:text-center"
            >
              {index > 0 && (
                <span
                  aria-hidden="true"
                  className={`absolute hidden h-1 sm:left-[-50%] sm:top-3 sm:block sm:w-full ${done ? 'bg-red-700' : 'bg-stone-200'}`}
                />
              )}
              <span
                aria-hidden="true"
                className={`relative z-10 flex h-7 w-7 shrink-0 items-center justify-center rounded-full border-2 text-sm ${
                  done ? 'border-red-700 bg-red-700 text-white' : 'border-stone-300 bg-white text-stone-400'
                } ${current && !cancelled ? 'ring-4 ring-red-200' : ''}`}
              >
                {done ? '✓' : index + 1}
              </span>
              <span className="sm:mt-2">
                <span className={`block text-sm ${done ? 'font-semibold' : 'text-stone-500'}`}>
                  {statusLabel(step)}
                  <span className="sr-only">{done ? ' (done)' : ' (to come)'}</span>
                </span>
                <span className="block text-xs tabular-nums text-stone-500">{timeOf(reachedAt[step])}</span>
              </span>
            </li>
          );
        })}
      </ol>
      {cancelled && (
        <p className="mt-4 rounded-lg bg-stone-100 p-3 text-sm font-medium text-stone-700">
          Cancelled{reachedAt.cancelled ? ` at ${timeOf(reachedAt.cancelled)}` : ''}.
        </p>
      )}
    </div>
  );
}
