import { renderTable, type TableStyle } from '@pizza/shared';
import type { HopReport } from './hops';
import type { BenchResult } from './results';
import { formatBytes, formatMs, formatRate } from './stats';

/** Figures tables: a label column, then right-aligned numbers, a rule under the header. */
const FIGURES: TableStyle = { figures: true, rule: true };

/** The printed report: figures of the main phase, processes, limits side by side, steps, invariants. */
const pct = (ours: number, limit: number) =>
  limit > 0 && Number.isFinite(ours) ? `${((ours / limit) * 100).toFixed(1)} %` : '–';
const pair = (a: number, b: number) => `${formatMs(a)} / ${formatMs(b)}`;

/** The three slowest parent → child edges by p99: where a hop's time goes. */
function slowestEdges(hops: HopReport): string {
  return Object.entries(hops.byEdge)
    .sort((a, b) => b[1].p99 - a[1].p99)
    .slice(0, 3)
    .map(([edge, s]) => `${edge} p50 ${formatMs(s.p50)}, p99 ${formatMs(s.p99)}`)
    .join('; ');
}

export function renderReport(r: BenchResult): string {
  const out: string[] = [];
  const main = r.phases.find((p) => p.name === 'load');
  out.push(
    `\npizza bench — ${r.startedAt} — ${r.machine.cpus} cores (${r.machine.model}), node ${r.machine.node}, load average at start ${r.machine.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')}`,
  );
  out.push(
    `target ${r.target.url}${r.target.ownStack ? ' (own stack, simulator delays 0)' : ''}${r.target.infrastructure.length ? ` — ${r.target.infrastructure.join('; ')}` : ''}`,
  );

  if (main) {
    const c = main.counts;
    out.push(
      `\nload: ${main.load} for ${(main.durationMs / 1000).toFixed(0)} s — sent ${c.sent}, accepted ${c.accepted}, out of stock ${c.outOfStock}, other 4xx ${c.otherClientErrors}, 5xx ${c.serverErrors}, no answer ${c.connectionErrors}${c.retries ? `, retried with the same key ${c.retries}` : ''}${main.skippedArrivals ? `, arrivals skipped (client cap) ${main.skippedArrivals}` : ''}\n`,
    );
    const rows = [
      ['accepted orders/s', formatRate(main.acceptedPerSecond)],
      [
        'POST p50 / p95 / p99',
        `${formatMs(main.post.p50)} / ${formatMs(main.post.p95)} / ${formatMs(main.post.p99)}`,
      ],
      ['POST → first WebSocket push p50 / p99', pair(main.postToFirstPush.p50, main.postToFirstPush.p99)],
      ['POST → delivered p50 / p99', pair(main.postToDelivered.p50, main.postToDelivered.p99)],
    ];
    if (r.hops)
      rows.push(['event-bus hop p50 / p99 (see below)', pair(r.hops.overall.p50, r.hops.overall.p99)]);
    rows.push(['open WebSockets (peak)', String(Math.max(...r.phases.map((p) => p.peakOpenWebSockets)))]);
    out.push(renderTable(['figure', 'value'], rows, FIGURES));
    if (r.hops) out.push(`hop: ${r.hops.definition}; ${r.hops.overall.count} hops`);
    if (r.hops) out.push(`slowest hops: ${slowestEdges(r.hops)}`);
  }

  if (!main && r.hops) {
    out.push(`\nevent-bus hop p50 / p99 over all steps: ${pair(r.hops.overall.p50, r.hops.overall.p99)}`);
    out.push(`hop: ${r.hops.definition}; ${r.hops.overall.count} hops`);
    out.push(`slowest hops: ${slowestEdges(r.hops)}`);
  }

  if (r.processes.length) {
    // CPU while each phase was sending (the load phase, the saturation phase), and over the whole run.
    const shown = r.phases.filter(
      (p) => p.processes?.length && (p.name === 'load' || p.name === 'saturation'),
    );
    const cpuIn = (phase: (typeof shown)[number], pid: number) => {
      const u = phase.processes?.find((x) => x.pid === pid);
      return u ? u.cpuPercent.toFixed(0) : '–';
    };
    out.push(`\nprocesses (CPU % of one core; peak RSS over the run)\n`);
    out.push(
      renderTable(
        [
          'process',
          'pid',
          'CPU % idle',
          ...shown.map((p) => `CPU % ${p.name}`),
          'CPU % run',
          'CPU s run',
          'peak RSS',
        ],
        r.processes.map((p) => [
          p.label,
          String(p.pid),
          r.idleProcesses?.find((x) => x.pid === p.pid)?.cpuPercent.toFixed(0) ?? '–',
          ...shown.map((phase) => cpuIn(phase, p.pid)),
          p.cpuPercent.toFixed(0),
          p.cpuSeconds.toFixed(2),
          formatBytes(Math.max(p.peakRssBytes, 0)),
        ]),
        FIGURES,
      ),
    );
  }

  const sat = r.phases.find((p) => p.name === 'saturation');
  const limits: string[][] = [];
  const http = r.baselines.http;
  // Ours: the closed-loop saturation phase (same loop as the baseline); without it, the best phase's rate.
  const best = sat ?? [...r.phases].sort((a, b) => b.acceptedPerSecond - a.acceptedPerSecond)[0];
  if (http && best) {
    const how = sat
      ? `closed loop ×${http.concurrency} both`
      : `ours: best open-loop phase; limit: closed loop ×${http.concurrency}`;
    limits.push([
      `POST/s (${how})`,
      formatRate(best.acceptedPerSecond),
      formatRate(http.requestsPerSecond),
      pct(best.acceptedPerSecond, http.requestsPerSecond),
    ]);
    limits.push([`  POST p50 at that load`, formatMs(best.post.p50), formatMs(http.latency.p50), '']);
  }
  const bus = r.busAtSaturation ?? r.hops;
  const redis = r.baselines.redis;
  if (redis && bus) {
    const seconds = bus.windowMs / 1000;
    limits.push([
      'stream entries written/s (XADD)',
      formatRate(bus.entriesWritten / seconds),
      formatRate(redis.xaddPerSecond),
      pct(bus.entriesWritten / seconds, redis.xaddPerSecond),
    ]);
    limits.push([
      'entries read + acked/s (all groups)',
      formatRate(bus.entriesConsumed / seconds),
      formatRate(redis.readAckPerSecond),
      pct(bus.entriesConsumed / seconds, redis.readAckPerSecond),
    ]);
  }
  if (limits.length) {
    out.push(
      `\nlimits side by side (ours at ${r.busAtSaturation ? 'the saturation phase' : 'the load phase'}; the limit on the same machine, same client loop)\n`,
    );
    out.push(renderTable(['path', 'ours', 'limit', 'ours/limit'], limits, FIGURES));
    out.push(
      "limits: bare node:http server in its own process; raw ioredis pipelined XADD (batches of 500) and XREADGROUP COUNT 100 + XACK, on the stack's Redis.",
    );
    out.push(
      'our bus rows count what the whole system wrote and consumed while under that load: they show headroom, not the bus at its own maximum.',
    );
  }

  if (r.steps) {
    const s = r.steps;
    out.push(
      `\nsteps (each ≥ ${(s.stepMs / 1000).toFixed(0)} s and ≥ 100 orders; doubling, then two bisections; ${s.criterion}; threshold ${s.thresholdMs} ms)\n`,
    );
    out.push(
      renderTable(
        [
          'offered/s',
          'accepted/s',
          'POST p50',
          'POST p99',
          'push p50',
          'push p99',
          'delivered p99',
          'verdict',
        ],
        s.points.map((p) => [
          String(p.offered),
          p.acceptedPerSecond.toFixed(1),
          formatMs(p.post.p50),
          formatMs(p.post.p99),
          formatMs(p.postToFirstPush.p50),
          formatMs(p.postToFirstPush.p99),
          formatMs(p.postToDelivered.p99),
          p.broke ?? 'ok',
        ]),
        FIGURES,
      ),
    );
    out.push(
      `knee: ${s.knee !== undefined ? `${s.knee} orders/s` : 'below the first step'}${s.brokeAt ? ` (broke at ${s.brokeAt}/s)` : ' (never broke within the steps run)'}`,
    );
  }

  out.push('\ninvariants\n');
  for (const inv of r.invariants) out.push(`${inv.ok ? 'PASS' : 'FAIL'}  ${inv.name} — ${inv.detail}`);
  return `${out.join('\n')}\n`;
}
