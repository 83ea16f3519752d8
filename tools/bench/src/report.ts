import type { OrderCost } from './cost';
import type { PhaseResult } from './phase';
import type { ScenarioResult } from './results';
import { formatBytes, formatMs, formatRate } from './stats';
import { renderTable, type TableStyle } from '@pizza/shared';

/** Figures tables: a label column, then right-aligned numbers, a rule under the header. */
const FIGURES: TableStyle = { figures: true, rule: true };
const table = (headers: readonly string[], rows: readonly (readonly string[])[]) =>
  renderTable(headers, rows, FIGURES);

/** The printed report of one scenario: baselines, idle cost, phases side by side, search, overload, invariants. */
const pair = (a: number, b: number) => `${formatMs(a)} / ${formatMs(b)}`;
const n1 = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? 'n/a' : n.toFixed(1));

/** "xreadgroup 4.1, xack 4.0, …": the heaviest commands of a per-order breakdown. */
function top(counts: Record<string, number> | undefined, k = 5): string {
  if (!counts) return 'n/a';
  return Object.entries(counts)
    .slice(0, k)
    .map(([name, v]) => `${name} ${v.toFixed(1)}`)
    .join(', ');
}

function costRows(costs: (OrderCost | undefined)[], unit: string): string[][] {
  const labels = [...new Set(costs.flatMap((c) => c?.cpuMsPerOrder.map((p) => p.label) ?? []))];
  return [
    [
      `CPU ms ${unit}, whole stack`,
      ...costs.map((c) => n1(c?.totalCpuMsPerOrder) + (c?.partial ? ' (partial)' : '')),
    ],
    ...labels.map((label) => [
      `  ${label}`,
      ...costs.map((c) => n1(c?.cpuMsPerOrder.find((p) => p.label === label)?.ms)),
    ]),
    [`Redis commands ${unit}`, ...costs.map((c) => n1(c?.redisPerOrder?.total))],
    [`MongoDB operations ${unit}`, ...costs.map((c) => n1(c?.mongoPerOrder?.total))],
  ];
}

function phaseTable(phases: PhaseResult[]): string {
  const col = (f: (p: PhaseResult) => string) => phases.map(f);
  return table(
    ['figure', ...phases.map((p) => p.name)],
    [
      ['length', ...col((p) => `${(p.durationMs / 1000).toFixed(0)} s`)],
      ['accepted (201) / sent', ...col((p) => `${p.counts.accepted} / ${p.counts.sent}`)],
      ['delivered orders/s', ...col((p) => formatRate(p.deliveredPerSecond))],
      ['last delivery after last POST', ...col((p) => formatMs(p.drainMs))],
      ['POST p50 / p99', ...col((p) => pair(p.post.p50, p.post.p99))],
      ['POST → first push p50 / p99', ...col((p) => pair(p.postToFirstPush.p50, p.postToFirstPush.p99))],
      ['POST → delivered p50 / p99', ...col((p) => pair(p.postToDelivered.p50, p.postToDelivered.p99))],
      [
        'one bus hop p50 / p99',
        ...col((p) => (p.hops ? pair(p.hops.overall.p50, p.hops.overall.p99) : 'n/a')),
      ],
      ...costRows(
        phases.map((p) => p.cost),
        'per order',
      ),
    ],
  );
}

export function renderReport(r: ScenarioResult): string {
  const out: string[] = [];
  out.push(
    `\n=== ${r.side}${r.commit ? ` ${r.commit.slice(0, 12)}` : ''}${r.ref ? ` (${r.ref})` : ''} — ${r.startedAt} — ${r.machine.cpus} cores (${r.machine.model}), node ${r.machine.node}, load average at start ${r.machine.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')}`,
  );
  out.push(`target ${r.target.url} — ${r.target.infrastructure.join('; ') || 'infrastructure unknown'}`);
  for (const note of r.notes) out.push(`note: ${note}`);

  const { redis, http } = r.baselines;
  if (redis)
    out.push(
      `baseline raw Redis: XADD ${formatRate(redis.xaddPerSecond)} pipelined; XREADGROUP + XACK ${formatRate(redis.readAckPerSecond)}`,
    );
  if (http?.tool === 'wrk')
    out.push(
      `baseline bare node:http under wrk (-t${http.threads} -c${http.connections}, ${http.durationMs / 1000} s): ${formatRate(http.requestsPerSecond)}, p50 ${formatMs(http.latencyMs['50'] ?? NaN)}, p99 ${formatMs(http.latencyMs['99'] ?? NaN)}${http.non2xx ? `, non-2xx ${http.non2xx}` : ''}`,
    );
  if (http?.tool === 'none') out.push(`baseline bare node:http: ${http.note}`);

  if (r.idle) {
    out.push('\nidle (no orders), per second\n');
    out.push(table(['figure', 'per second'], costRows([r.idle], 'per second')));
  }
  const phases = [...r.rates, ...(r.sustain ? [r.sustain] : [])];
  if (phases.length) {
    out.push('\nopen-loop phases (CPU and commands: first POST → last delivery, ÷ orders delivered)\n');
    out.push(phaseTable(phases));
    for (const p of phases) {
      out.push(
        `${p.name}: Redis per order ${top(p.cost?.redisPerOrder?.byCommand)}; MongoDB per order ${top(p.cost?.mongoPerOrder?.byOp)}`,
      );
    }
  }

  if (r.search) {
    const s = r.search;
    out.push(
      `\nsaturation search (each step ≥ ${s.stepOrders} orders; backlog bound ${formatMs(s.backlogMs)}; ${s.sustained})\n`,
    );
    out.push(
      table(
        [
          'offered/s',
          'length',
          'delivered/s',
          'drain',
          'POST p50',
          'POST p99',
          'push p99',
          'CPU ms/order',
          'verdict',
        ],
        s.points.map((p) => [
          String(p.offered),
          `${(p.durationMs / 1000).toFixed(0)} s`,
          p.deliveredPerSecond.toFixed(1),
          formatMs(p.drainMs),
          formatMs(p.post.p50),
          formatMs(p.post.p99),
          formatMs(p.postToFirstPush.p99),
          n1(p.cpuMsPerOrder),
          p.notSustained ?? (p.overObjective ? `sustained, over objective: ${p.overObjective}` : 'sustained'),
        ]),
      ),
    );
    out.push(
      `saturation: ${s.saturation !== undefined ? `${s.saturation} orders/s` : 'below the first step'}${s.brokeAt ? ` (failed at ${s.brokeAt}/s)` : ''}; knee (p99 ≤ ${s.thresholdMs} ms): ${s.knee !== undefined ? `${s.knee}/s` : 'none'}`,
    );
  }

  if (r.overload) {
    const o = r.overload;
    out.push(
      `\n${o.name} for ${(o.durationMs / 1000).toFixed(0)} s: sent ${o.counts.sent}, accepted ${o.counts.accepted} (POST p99 ${formatMs(o.post.p99)}), 503 ${o.counts.shed} (p50 ${formatMs(o.shed.p50)}, p99 ${formatMs(o.shed.p99)}), other 5xx ${o.counts.serverErrors}, no answer ${o.counts.connectionErrors}, skipped by the client cap ${o.skippedArrivals}; accepted not seen delivered ${o.trackers.total - o.trackers.delivered}`,
    );
  }

  if (r.processes.length) {
    out.push('\nprocesses over the measured part of the run\n');
    out.push(
      table(
        ['process', 'pid', 'CPU % of a core', 'CPU s', 'peak RSS'],
        r.processes.map((p) => [
          p.label,
          String(p.pid),
          p.cpuPercent.toFixed(0),
          p.cpuSeconds.toFixed(1),
          formatBytes(p.peakRssBytes),
        ]),
      ),
    );
  }
  out.push('\ninvariants\n');
  for (const inv of r.invariants) out.push(`${inv.ok ? 'PASS' : 'FAIL'}  ${inv.name} — ${inv.detail}`);
  return `${out.join('\n')}\n`;
}
