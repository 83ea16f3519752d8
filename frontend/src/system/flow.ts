/**
 * The period of one dash cycle for an edge carrying `rate` events per second: the dashes' speed grows with
 * the rate (about one dash per event up to 16/s, then logarithmic so that a burst stays readable). No traffic:
 * no animation.
 */
export function flowPeriodSeconds(rate: number): number | undefined {
  if (!(rate > 0)) return undefined;
  const speed = rate <= 16 ? rate : 16 + Math.log2(rate / 16) * 8;
  return Math.min(8, Math.max(0.15, 2 / speed));
}

export function formatRate(rate: number): string {
  return `${rate < 10 ? rate.toFixed(1) : Math.round(rate)}/s`;
}
