import type { PhaseResult } from './phase';
import type { ScenarioResult } from './results';
import { formatMs } from './stats';

/**
 * The before/after table: the same scenario against the baseline commit and this checkout, one row per
 * figure, as Markdown so that it can go into a README or a pull request as it is.
 */
type Cell = number | undefined;
type Row = [figure: string, before: Cell, after: Cell, format: (n: number) => string];

const ms = (n: number) => formatMs(n);
const num = (digits: number) => (n: number) => n.toFixed(digits);

export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join(
    '\n',
  );
}

function ratio(before: Cell, after: Cell): string {
  if (before === undefined || after === undefined || !Number.isFinite(before) || !Number.isFinite(after))
    return '';
  if (before === 0) return after === 0 ? '×1' : '';
  return `×${(after / before).toFixed(after / before >= 10 ? 0 : 2)}`;
}

const cpuOf = (phase: PhaseResult | undefined, label: string) =>
  phase?.cost?.cpuMsPerOrder.find((c) => c.label === label)?.ms;

/** Rows for one pair of phases driven alike (same fixed rate, or each side's saturation rate). */
function phaseRows(title: string, b: PhaseResult | undefined, a: PhaseResult | undefined): Row[] {
  const labels = [
    ...new Set([...(a?.cost?.cpuMsPerOrder ?? []), ...(b?.cost?.cpuMsPerOrder ?? [])].map((c) => c.label)),
  ];
  return [
    [`**${title}**: delivered orders/s`, b?.deliveredPerSecond, a?.deliveredPerSecond, num(1)],
    ['POST p50', b?.post.p50, a?.post.p50, ms],
    ['POST p99', b?.post.p99, a?.post.p99, ms],
    ['one bus hop p50', b?.hops?.overall.p50, a?.hops?.overall.p50, ms],
    ['POST → first push p50', b?.postToFirstPush.p50, a?.postToFirstPush.p50, ms],
    ['CPU ms per order, whole stack', b?.cost?.totalCpuMsPerOrder, a?.cost?.totalCpuMsPerOrder, num(1)],
    ...labels.map((label): Row => [`CPU ms per order, ${label}`, cpuOf(b, label), cpuOf(a, label), num(1)]),
    ['Redis commands per order', b?.cost?.redisPerOrder?.total, a?.cost?.redisPerOrder?.total, num(1)],
    ['MongoDB operations per order', b?.cost?.mongoPerOrder?.total, a?.cost?.mongoPerOrder?.total, num(1)],
  ];
}

function overloadRows(b: PhaseResult | undefined, a: PhaseResult | undefined): Row[] {
  const lost = (p: PhaseResult | undefined) => (p ? p.trackers.total - p.trackers.delivered : undefined);
  return [
    ['**overload**: offered orders/s', b?.offeredPerSecond, a?.offeredPerSecond, num(0)],
    ['accepted (201)', b?.counts.accepted, a?.counts.accepted, num(0)],
    ['accepted POST p99', b?.post.p99, a?.post.p99, ms],
    ['503 answers', b?.counts.shed, a?.counts.shed, num(0)],
    ['503 p99', b?.shed.p99, a?.shed.p99, ms],
    ['other failures (5xx, no answer)', fail(b), fail(a), num(0)],
    ['accepted but not seen delivered', lost(b), lost(a), num(0)],
  ];
}

const fail = (p: PhaseResult | undefined) =>
  p ? p.counts.serverErrors + p.counts.connectionErrors + p.skippedArrivals : undefined;

export function sideName(side: ScenarioResult): string {
  const commit = side.commit ? ` ${side.commit.slice(0, 8)}` : '';
  return `${side.side}${side.ref && side.ref !== side.commit ? ` (${side.ref}${commit})` : commit}`;
}

export function compareSides(before: ScenarioResult, after: ScenarioResult): string {
  const rows: Row[] = [
    [
      'saturation: highest sustained offered orders/s',
      before.search?.saturation,
      after.search?.saturation,
      num(0),
    ],
    ['knee (within the p99 objective)', before.search?.knee, after.search?.knee, num(0)],
  ];
  for (const phase of after.rates) {
    const match = before.rates.find((p) => p.offeredPerSecond === phase.offeredPerSecond);
    rows.push(...phaseRows(`at ${phase.offeredPerSecond}/s`, match, phase));
  }
  if (before.sustain || after.sustain) {
    const seconds = ((after.sustain ?? before.sustain)!.durationMs / 1000).toFixed(0);
    rows.push(...phaseRows(`at saturation, ${seconds} s`, before.sustain, after.sustain));
  }
  if (before.overload || after.overload) rows.push(...overloadRows(before.overload, after.overload));
  const cell = (value: Cell, format: (n: number) => string) =>
    value === undefined || !Number.isFinite(value) ? 'n/a' : format(value);
  const table = markdownTable(
    ['figure', sideName(before), sideName(after), 'after/before'],
    rows.map(([figure, b, a, format]) => [figure, cell(b, format), cell(a, format), ratio(b, a)]),
  );
  const verdict = (s: ScenarioResult) =>
    s.invariants.every((i) => i.ok)
      ? 'all invariants hold'
      : `FAILED: ${s.invariants
          .filter((i) => !i.ok)
          .map((i) => i.name)
          .join('; ')}`;
  const notes = [
    `before: ${verdict(before)}; after: ${verdict(after)}.`,
    'n/a: not measured on that side (e.g. a server that reports no opcounters, or no such phase).',
    'CPU excludes the load generator; per order = CPU over first POST → last delivery ÷ orders delivered.',
  ];
  return `${table}\n\n${notes.join('\n')}\n`;
}
