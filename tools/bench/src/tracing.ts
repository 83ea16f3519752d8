/**
 * npm run bench:tracing — what tracing costs: the same fixed-rate phase on a stack with tracing off
 * (OTEL_EXPORTER_OTLP_ENDPOINT unset: no SDK loaded) and on one exporting every span to a local OTLP/HTTP sink
 * in this process (which only counts what it receives, so its work is not the stack's).
 *
 *   --rate R       orders per second (default 20)
 *   --seconds S    length of the measured phase (default 20)
 *
 * Per side: CPU ms per delivered order of the services (Redis, MongoDB and the gateway left out: tracing does
 * not run there), POST latency and POST → delivered, and the spans the sink received per order.
 */
import { resolve } from 'node:path';
import { listen, parseCommandLine, runCommand } from '@pizza/shared';
import { cpuSource } from './cpu-time';
import { httpClient } from './http-client';
import { readMenu } from './invariants';
import { runPhase, type PhaseResult } from './phase';
import { hostedStack } from './target';

const REPO_ROOT = resolve(__dirname, '../../..');
const SERVICES = /^(orders|delivery|notifications|simulator|refill-scheduler)/;
const log = (msg: string) => process.stderr.write(`bench:tracing: ${msg}\n`);

/** Accepts OTLP/HTTP exports and counts spans by their span ids in the JSON, without keeping them. */
async function startSink(): Promise<{ url: string; spans: () => number; stop(): Promise<void> }> {
  let spans = 0;
  const { port, close } = await listen(
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        spans += Buffer.concat(chunks).toString().split('"spanId"').length - 1;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    },
    0,
    '127.0.0.1',
  );
  return { url: `http://127.0.0.1:${port}`, spans: () => spans, stop: close };
}

async function measure(
  name: string,
  env: Record<string, string>,
  options: { rate: number; seconds: number },
): Promise<PhaseResult> {
  const target = await hostedStack(REPO_ROOT, (m) => log(`[${name}] ${m}`), env);
  const client = httpClient(target.url, { maxSockets: 256 });
  try {
    const menu = await readMenu(client);
    const phase = (phaseName: string, rate: number, durationMs: number, measured: boolean) =>
      runPhase(client, target.wsOrigin, menu, {
        name: phaseName,
        shape: { kind: 'rate', rate },
        durationMs,
        settleMs: 30_000,
        quiet: true,
        probes: measured
          ? {
              cpuSource: cpuSource(),
              processes: () => target.processes().filter((p) => SERVICES.test(p.label)),
            }
          : undefined,
      });
    log(`[${name}] warm-up`);
    await phase('warm-up', 5, 3_000, false);
    log(`[${name}] ${options.rate}/s for ${options.seconds} s`);
    return (await phase(name, options.rate, options.seconds * 1000, true)).result;
  } finally {
    client.close();
    await target.stop();
  }
}

const USAGE = 'usage: npm run bench:tracing [-- --rate R --seconds S]';

const fixed = (n: number | undefined, digits = 1) =>
  n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(digits);

async function main(): Promise<number> {
  const { values } = parseCommandLine({
    args: process.argv.slice(2),
    strict: true,
    options: { rate: { type: 'string', default: '20' }, seconds: { type: 'string', default: '20' } },
  });
  const options = { rate: Number(values.rate), seconds: Number(values.seconds) };
  const sink = await startSink();
  try {
    const off = await measure('tracing off', {}, options);
    const before = sink.spans();
    const on = await measure(
      'tracing on',
      { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_BSP_SCHEDULE_DELAY: '1000' },
      options,
    );
    const rows = [off, on].map((r, i) => {
      const delivered = r.trackers.delivered;
      const spans = i === 1 ? (sink.spans() - before) / Math.max(1, delivered) : 0;
      return `| ${r.name} | ${delivered} | ${fixed(r.cost?.totalCpuMsPerOrder)} | ${fixed(r.post.p50)} / ${fixed(r.post.p99)} | ${fixed(r.postToDelivered.p50, 0)} | ${fixed(spans, 0)} |`;
    });
    process.stdout.write(
      [
        `\n${options.rate} orders/s for ${options.seconds} s per side\n`,
        '| side | orders delivered | services CPU ms / order | POST p50 / p99 ms | POST → delivered p50 ms | spans / order |',
        '| --- | ---: | ---: | ---: | ---: | ---: |',
        ...rows,
        '',
      ].join('\n'),
    );
    return 0;
  } finally {
    await sink.stop();
  }
}

// Ends the process once the exit code is set, whatever handles the measured stacks leave open.
void runCommand(main, { name: 'bench:tracing', usage: USAGE }).then(() => process.exit());
