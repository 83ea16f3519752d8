import type { CSSProperties } from 'react';
import { flowPeriodSeconds } from './flow';

/** An edge of the diagram whose dashes move at a speed following the real event rate. */
export function FlowEdge({ d, rate }: { d: string; rate: number }) {
  const period = flowPeriodSeconds(rate);
  const style = period === undefined ? undefined : ({ '--flow-period': `${period}s` } as CSSProperties);
  return (
    <path
      d={d}
      fill="none"
      strokeWidth={period === undefined ? 1.5 : 2.5}
      className={period === undefined ? 'stroke-stone-300' : 'flow-dash stroke-red-600'}
      style={style}
    />
  );
}
