import { renderTable, type TableStyle } from '@pizza/shared';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MachineInfo } from '../machine';
import type { ProcessUsage } from '../sampler';
import { formatBytes, formatMs, formatRate, type Summary } from '../stats';
import type { ConnectResult } from './clients';

/** Figures tables: a label column, then right-aligned numbers, a rule under the header. */
const FIGURES: TableStyle = { figures: true, rule: true };

/** What `npm run bench:ws` measured, printed and written as bench-results/ws-<timestamp>.json. */
export interface FanoutResult {
  startedAt: string;
  machine: MachineInfo;
  goal: number;
  connections: ConnectResult;
  gatewayRss: { before: number; after: number; perConnection: number };
  clientRss: { before: number; after: number };
  paced: { rate: number; published: number; received: number; latency: Summary; processes: ProcessUsage[] };
  burst: {
    published: number;
    received: number;
    drainMs: number;
    latency: Summary;
    processes: ProcessUsage[];
  };
  complete: boolean;
}

const cpu = (list: ProcessUsage[]) => list.map((p) => `${p.label} ${p.cpuPercent.toFixed(0)} %`).join(', ');

export function renderFanout(r: FanoutResult): string {
  const c = r.connections;
  const lines = [
    `\nWebSocket fan-out — ${r.startedAt} — ${r.machine.cpus} cores, node ${r.machine.node}; one notifications process, clients in one process`,
    '',
    renderTable(
      ['figure', 'value'],
      [
        [
          'connections (reached / goal)',
          `${c.connected} / ${r.goal}${c.failed ? ` (${c.failed} failed: ${JSON.stringify(c.errors)})` : ''}`,
        ],
        [
          'time to connect all',
          `${(c.ms / 1000).toFixed(1)} s (${formatRate(c.connected / (c.ms / 1000), 'conn/s')})`,
        ],
        [
          'gateway RSS before → after',
          `${formatBytes(r.gatewayRss.before)} → ${formatBytes(r.gatewayRss.after)}`,
        ],
        ['memory per connection (gateway RSS delta / N)', formatBytes(r.gatewayRss.perConnection)],
        [
          'client process RSS before → after',
          `${formatBytes(r.clientRss.before)} → ${formatBytes(r.clientRss.after)}`,
        ],
        [
          `paced updates (${r.paced.rate}/s asked)`,
          `${formatRate(r.paced.published)} published, ${r.paced.received} received`,
        ],
        [
          '  publish → receipt p50 / p99 / max',
          `${formatMs(r.paced.latency.p50)} / ${formatMs(r.paced.latency.p99)} / ${formatMs(r.paced.latency.max)}`,
        ],
        ['  CPU', cpu(r.paced.processes)],
        [
          'burst (one update to every client at once)',
          `${formatRate(r.burst.published)} published, ${r.burst.received} received`,
        ],
        [
          '  publish → receipt p50 / p99 / max',
          `${formatMs(r.burst.latency.p50)} / ${formatMs(r.burst.latency.p99)} / ${formatMs(r.burst.latency.max)}`,
        ],
        ['  first publish → last receipt', formatMs(r.burst.drainMs)],
        ['  CPU', cpu(r.burst.processes)],
      ],
      FIGURES,
    ),
    r.complete ? '' : '\nNOT every connected client received every update (see received counts)',
  ];
  return `${lines.join('\n')}\n`;
}

export function writeFanout(dir: string, r: FanoutResult): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `ws-${r.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(path, `${JSON.stringify(r, null, 2)}\n`);
  return path;
}
