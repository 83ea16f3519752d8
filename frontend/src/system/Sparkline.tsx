/** Rates over the last minutes as a line (decorative: the current rate is written next to it). */
export function Sparkline({
  values,
  width = 120,
  height = 28,
}: {
  values: readonly number[];
  width?: number;
  height?: number;
}) {
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values.map(
    (v, i) => `${(i * step).toFixed(1)},${(height - (v / max) * (height - 2) - 1).toFixed(1)}`,
  );
  return (
    <svg
      aria-hidden="true"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      className="shrink-0"
    >
      <rect width={width} height={height} className="fill-stone-100" rx="3" />
      {points.length > 1 && (
        <polyline points={points.join(' ')} fill="none" className="stroke-red-700" strokeWidth="1.5" />
      )}
    </svg>
  );
}
