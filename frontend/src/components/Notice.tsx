import type { ReactNode } from 'react';

const TONES = {
  info: 'border-stone-200 bg-white text-stone-700',
  error: 'border-red-300 bg-red-50 text-red-900',
  warning: 'border-amber-300 bg-amber-50 text-amber-900',
} as const;

/** A boxed message; errors are announced to screen readers as they appear. */
export function Notice({ tone = 'info', children }: { tone?: keyof typeof TONES; children: ReactNode }) {
  return (
    <div
      role={tone === 'error' ? 'alert' : undefined}
      className={`rounded-lg border p-4 text-sm ${TONES[tone]}`}
    >
      {children}
    </div>
  );
}
