/**
 * npm run bench — load benchmark of the whole system: virtual customers POST orders and track each over a
 * WebSocket; then latencies, event-bus hops, per-process CPU and memory, the limits side by side, and the
 * invariants (exit 1 if one fails). `--help` lists the options.
 */
import Redis from 'ioredis';
import { UsageError } from '@pizza/shared';
import { measureBareHttp, type HttpBaseline } from './baselines/http';
import { measureRawRedis, type RedisBaseline } from './baselines/redis';
import { parseArgs, USAGE, type BenchArgs } from './args';
import { measureHops, type HopReport } from './hops';
import { httpClient } from './http-client';
import { everyOrderDelivered, pushesContiguous, readMenu, stockConserved } from './invariants';
import { machineInfo } from './machine';
import { orderBody, resolveUnanswered, type AcceptedOrder, type UnansweredOrder } from './orders';
import { runPhase, type PhaseResult } from './phase';
import { renderReport } from './report';
import { writeResults, type BenchResult } from './results';
import { ProcessSampler } from './sampler';
import { runSteps, stepRates, type StepsReport } from './steps';
import { stepsChart } from './svg';
import { existingStack, ownStack, type Target } from './target';

const IDLE_SAMPLE_MS = 3_000;
const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);

async function baselines(args: BenchArgs, target: Target, body: string): Promise<BenchResult['baselines']> {
  if (!args.baselines) return {};
  let redis: RedisBaseline | undefined;
  if (target.redisUrl) {
    log(`baseline: raw Redis, ${args.baselineEvents} events`);
    redis = await measureRawRedis(target.redisUrl, args.baselineEvents);
  }
  log(`baseline: bare node:http server, closed loop ×${args.saturateConcurrency}`);
  const http: HttpBaseline = await measureBareHttp({
    concurrency: args.saturateConcurrency,
    durationMs: Math.max(2_000, args.saturateMs),
    body,
  });
  return { redis, http };
}

async function run(args: BenchArgs, target: Target): Promise<BenchResult> {
  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  const client = httpClient(target.url, { maxSockets: 1024 });
  const redis = target.redisUrl ? new Redis(target.redisUrl, { maxRetriesPerRequest: 3 }) : undefined;
  try {
    const before = await readMenu(client);
    const base = await baselines(args, target, orderBody(before).body);
    const warmup: AcceptedOrder[] = [];
    let warmPhase: PhaseResult | undefined;
    const unanswered: UnansweredOrder[] = [];
    if (args.warmupMs > 0) {
      // JIT, connection pools and caches warm up on orders that are checked (invariants) but not measured.
      const warm = await runPhase(client, target.wsOrigin, before, {
        name: 'warm-up',
        shape: { kind: 'rate', rate: 5 },
        durationMs: args.warmupMs,
        settleMs: args.settleMs,
      });
      warmPhase = warm.result;
      warmup.push(...warm.orders);
      unanswered.push(...warm.unanswered);
    }
    // What the stack costs doing nothing (polling loops, timers), to read the loaded figures against.
    const idleSampler = new ProcessSampler(() => target.processes());
    idleSampler.start();
    await new Promise((r) => setTimeout(r, IDLE_SAMPLE_MS));
    const idle = idleSampler.stop();
    const sampler = new ProcessSampler(() => target.processes());
    sampler.start();
    const phases: PhaseResult[] = [];
    const orders: AcceptedOrder[] = [...warmup];
    let steps: StepsReport | undefined;
    if (args.steps) {
      const stepped = await runSteps(client, target.wsOrigin, before, {
        rates: stepRates(args.startRate, args.maxRate),
        stepMs: args.stepMs,
        settleMs: args.settleMs,
        thresholdMs: args.thresholdMs,
        processes: () => target.processes(),
        log,
      });
      steps = stepped.report;
      phases.push(...stepped.phases);
      orders.push(...stepped.orders);
      unanswered.push(...stepped.unanswered);
    } else {
      const main = await runPhase(client, target.wsOrigin, before, {
        name: 'load',
        shape: args.shape,
        durationMs: args.durationMs,
        processes: () => target.processes(),
        settleMs: args.settleMs,
      });
      phases.push(main.result);
      orders.push(...main.orders);
      unanswered.push(...main.unanswered);
    }
    if (args.saturateMs > 0 && !args.steps) {
      const sat = await runPhase(client, target.wsOrigin, before, {
        name: 'saturation',
        shape: { kind: 'concurrency', concurrency: args.saturateConcurrency },
        durationMs: args.saturateMs,
        processes: () => target.processes(),
        settleMs: args.settleMs,
      });
      phases.push(sat.result);
      orders.push(...sat.orders);
      unanswered.push(...sat.unanswered);
    }
    const processes = sampler.stop();
    if (unanswered.length) log(`resolving ${unanswered.length} unanswered POSTs with their Idempotency-Keys`);
    const lateOrders = await resolveUnanswered(client, unanswered);
    orders.push(...lateOrders);
    const after = await readMenu(client);

    let hops: HopReport | undefined;
    let busAtSaturation: HopReport | undefined;
    if (redis) {
      const loadPhases = phases.filter((p) => p.name !== 'saturation');
      hops = await measureHops(redis, {
        fromMs: loadPhases[0]!.window.fromMs,
        toMs: loadPhases[loadPhases.length - 1]!.window.toMs,
      });
      const sat = phases.find((p) => p.name === 'saturation');
      if (sat)
        busAtSaturation = await measureHops(redis, {
          fromMs: sat.window.fromMs,
          toMs: sat.window.fromMs + sat.elapsedMs,
        });
    }
    const invariants = [
      stockConserved(before, after, orders),
      await everyOrderDelivered(client, orders, args.settleMs),
      pushesContiguous(warmPhase ? [warmPhase, ...phases] : phases),
    ];
    return {
      startedAt,
      machine,
      target: { url: target.url, ownStack: target.ownStack, infrastructure: target.infrastructure },
      warmup: warmPhase,
      phases,
      hops,
      busAtSaturation,
      processes,
      idleProcesses: idle,
      baselines: base,
      steps,
      invariants,
    };
  } finally {
    client.close();
    await redis?.quit().catch(() => redis.disconnect());
  }
}

async function main(): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const target = args.url ? existingStack(args.url, args.redisUrl, args.pids) : await ownStack(log);
  try {
    log(`target ${target.url}`);
    const result = await run(args, target);
    process.stdout.write(renderReport(result));
    const svg = result.steps
      ? stepsChart(result.steps, `Latency vs offered rate — knee ${result.steps.knee ?? 'none'}/s`)
      : undefined;
    const written = writeResults(args.outDir, result, svg);
    process.stdout.write(`\nwritten: ${written.json}${written.svg ? ` and ${written.svg}` : ''}\n`);
    return result.invariants.every((i) => i.ok) ? 0 : 1;
  } finally {
    await target.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
