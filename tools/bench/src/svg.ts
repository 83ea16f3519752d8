import type { SearchReport } from './search';

/**
 * A small hand-written SVG line chart of the saturation search: p50 and p99 of POST and of POST→first push against
 * the offered rate. x is log2 (the rate doubles per step), y is log10 milliseconds; the objective is a
 * dashed line and the knee a vertical marker.
 */
const W = 760;
const H = 440;
const M = { left: 70, right: 30, top: 50, bottom: 60 };
const SERIES = [
  { name: 'POST p50', colour: '#1f77b4', dash: '', pick: (p: SearchReport['points'][number]) => p.post.p50 },
  {
    name: 'POST p99',
    colour: '#1f77b4',
    dash: '6 4',
    pick: (p: SearchReport['points'][number]) => p.post.p99,
  },
  {
    name: 'POST→first push p50',
    colour: '#d62728',
    dash: '',
    pick: (p: SearchReport['points'][number]) => p.postToFirstPush.p50,
  },
  {
    name: 'POST→first push p99',
    colour: '#d62728',
    dash: '6 4',
    pick: (p: SearchReport['points'][number]) => p.postToFirstPush.p99,
  },
];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function stepsChart(report: SearchReport, title: string): string {
  const points = report.points;
  const rates = points.map((p) => p.offered);
  const values = points
    .flatMap((p) => SERIES.map((s) => s.pick(p)))
    .filter((v) => Number.isFinite(v) && v > 0);
  const yMin = 10 ** Math.floor(Math.log10(Math.max(0.1, Math.min(...values, report.thresholdMs))));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...values, report.thresholdMs * 2)));
  const xMin = Math.log2(Math.min(...rates));
  const xMax = Math.max(xMin + 1, Math.log2(Math.max(...rates)));
  const x = (rate: number) => M.left + ((Math.log2(rate) - xMin) / (xMax - xMin)) * (W - M.left - M.right);
  const y = (ms: number) =>
    H -
    M.bottom -
    ((Math.log10(Math.max(ms, yMin)) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) *
      (H - M.top - M.bottom);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`,
  );
  // Grid and y ticks (decades).
  for (let v = yMin; v <= yMax; v *= 10) {
    out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    out.push(`<text x="${M.left - 8}" y="${y(v) + 4}" text-anchor="end">${v >= 1 ? v : v.toFixed(1)}</text>`);
  }
  for (const rate of rates) {
    out.push(`<line x1="${x(rate)}" x2="${x(rate)}" y1="${M.top}" y2="${H - M.bottom}" stroke="#eee"/>`);
    out.push(`<text x="${x(rate)}" y="${H - M.bottom + 18}" text-anchor="middle">${rate}</text>`);
  }
  out.push(
    `<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="black"/>`,
  );
  out.push(`<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="black"/>`);
  out.push(
    `<text x="${(M.left + W - M.right) / 2}" y="${H - 18}" text-anchor="middle">offered rate (orders/s, log scale)</text>`,
  );
  out.push(
    `<text transform="translate(18 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">latency (ms, log scale)</text>`,
  );
  // Objective and knee.
  out.push(
    `<line x1="${M.left}" x2="${W - M.right}" y1="${y(report.thresholdMs)}" y2="${y(report.thresholdMs)}" stroke="#2ca02c" stroke-dasharray="3 3"/>`,
  );
  out.push(
    `<text x="${M.left + 6}" y="${y(report.thresholdMs) + 15}" fill="#2ca02c">objective ${report.thresholdMs} ms</text>`,
  );
  if (report.knee !== undefined) {
    out.push(
      `<line x1="${x(report.knee)}" x2="${x(report.knee)}" y1="${M.top}" y2="${H - M.bottom}" stroke="#555" stroke-dasharray="2 4"/>`,
    );
    out.push(`<text x="${x(report.knee) + 5}" y="${M.top + 12}" fill="#555">knee ${report.knee}/s</text>`);
  }
  // Series.
  for (const s of SERIES) {
    const pts = points
      .filter((p) => Number.isFinite(s.pick(p)))
      .map((p) => `${x(p.offered).toFixed(1)},${y(s.pick(p)).toFixed(1)}`);
    if (pts.length === 0) continue;
    out.push(
      `<polyline points="${pts.join(' ')}" fill="none" stroke="${s.colour}" stroke-width="2" stroke-dasharray="${s.dash}"/>`,
    );
    for (const pt of pts)
      out.push(`<circle cx="${pt.split(',')[0]}" cy="${pt.split(',')[1]}" r="3" fill="${s.colour}"/>`);
  }
  SERIES.forEach((s, i) => {
    const ly = M.top + 8 + i * 18;
    out.push(
      `<line x1="${M.left + 12}" x2="${M.left + 42}" y1="${ly}" y2="${ly}" stroke="${s.colour}" stroke-width="2" stroke-dasharray="${s.dash}"/>`,
    );
    out.push(`<text x="${M.left + 48}" y="${ly + 4}">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
