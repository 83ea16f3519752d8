import Redis from 'ioredis';
import { connectMongo, type MongoHandle } from '@pizza/shared';
import type { BenchArgs } from './args';
import { measureBareHttp } from './baselines/http';
import { measureRawRedis } from './baselines/redis';
import { orderCost } from './cost';
import { cpuSource } from './cpu-time';
import { measureHops } from './hops';
import { httpClient } from './http-client';
import { everyOrderDelivered, pushesContiguous, readMenu, stockConserved } from './invariants';
import { machineInfo } from './machine';
import { orderBody, resolveUnanswered, type AcceptedOrder, type UnansweredOrder } from './orders';
import { runPhase, type PhaseOptions, type PhaseResult } from './phase';
import { readCounters, type Probes } from './probes';
import type { ScenarioResult } from './results';
import { ProcessSampler } from './sampler';
import { searchSaturation } from './search';
import type { Target } from './target';

/**
 * The whole scenario against one stack: baselines, warm-up, idle cost, the fixed-rate phases, the
 * saturation search, the saturation rate sustained, overload, then the invariants over every order.
 */
const IDLE_MS = 5_000;

export async function runScenario(
  args: BenchArgs,
  target: Target,
  side: { name: string; commit?: string; ref?: string; baselines: boolean },
  log: (msg: string) => void,
): Promise<ScenarioResult> {
  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  const client = httpClient(target.url, { maxSockets: 1024 });
  const redis = target.redisUrl ? new Redis(target.redisUrl, { maxRetriesPerRequest: 3 }) : undefined;
  let mongo: MongoHandle | undefined;
  const sampler = new ProcessSampler(() => target.processes());
  try {
    mongo = target.mongoUrl ? await connectMongo(target.mongoUrl, target.mongoDb, 'bench') : undefined;
    const probes: Probes = {
      cpuSource: cpuSource(),
      processes: () => target.processes(),
      redis,
      mongo: mongo?.db,
    };
    const notes: string[] = [];
    if (probes.cpuSource !== 'proc')
      notes.push(probes.cpuSource === 'ps' ? 'CPU from ps -o time= (coarse)' : 'CPU n/a: no /proc and no ps');
    const before = await readMenu(client);
    const baselines: ScenarioResult['baselines'] = {};
    if (side.baselines) {
      if (target.redisUrl) {
        log(`baseline: raw Redis, ${args.baselineEvents} events`);
        baselines.redis = await measureRawRedis(target.redisUrl, args.baselineEvents);
      }
      log('baseline: bare node:http server under wrk');
      baselines.http = await measureBareHttp({ durationMs: args.wrkMs, body: orderBody(before).body });
    }
    const orders: AcceptedOrder[] = [];
    const unanswered: UnansweredOrder[] = [];
    const phases: PhaseResult[] = [];
    const phase = async (options: Omit<PhaseOptions, 'settleMs' | 'probes'>, withHops = true) => {
      const run = await runPhase(client, target.wsOrigin, before, {
        ...options,
        settleMs: args.settleMs,
        probes,
      });
      orders.push(...run.orders);
      unanswered.push(...run.unanswered);
      phases.push(run.result);
      // Read back right away: the streams may be trimmed by the time the scenario ends.
      if (redis && withHops) run.result.hops = await measureHops(redis, run.result.window);
      return run.result;
    };

    const warmup =
      args.warmupMs > 0
        ? await phase({ name: 'warm-up', shape: { kind: 'rate', rate: 5 }, durationMs: args.warmupMs }, false)
        : undefined;
    const idleStart = await readCounters(probes);
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const idle = orderCost(idleStart, await readCounters(probes), IDLE_MS / 1000);
    sampler.start();

    const rates: PhaseResult[] = [];
    for (const rate of args.rates)
      rates.push(
        await phase({ name: `${rate}/s`, shape: { kind: 'rate', rate }, durationMs: args.durationMs }),
      );

    let result: Pick<ScenarioResult, 'search' | 'sustain' | 'overload'> = {};
    if (args.search) {
      const search = await searchSaturation(client, target.wsOrigin, before, { ...args, probes, log });
      orders.push(...search.orders);
      unanswered.push(...search.unanswered);
      phases.push(...search.phases);
      result = { search: search.report };
      const saturation = search.report.saturation;
      if (saturation === undefined) notes.push('no sustained step: sustained and overload runs skipped');
      if (saturation !== undefined && args.sustainMs > 0)
        result.sustain = await phase({
          name: `sustained ${saturation}/s`,
          shape: { kind: 'rate', rate: saturation },
          durationMs: args.sustainMs,
        });
      if (saturation !== undefined && args.overloadMs > 0) {
        const rate = Math.round(saturation * args.overloadFactor);
        result.overload = await phase(
          { name: `overload ${rate}/s`, shape: { kind: 'rate', rate }, durationMs: args.overloadMs },
          false,
        );
      }
    }
    const processes = sampler.stop();

    if (unanswered.length) log(`resolving ${unanswered.length} unanswered POSTs with their Idempotency-Keys`);
    orders.push(...(await resolveUnanswered(client, unanswered)));
    const after = await readMenu(client);
    const invariants = [
      stockConserved(before, after, orders),
      await everyOrderDelivered(client, orders, args.settleMs),
      pushesContiguous(phases),
    ];
    return {
      side: side.name,
      commit: side.commit,
      ref: side.ref,
      startedAt,
      machine,
      target: { url: target.url, ownStack: target.ownStack, infrastructure: target.infrastructure },
      cpuSource: probes.cpuSource,
      baselines,
      warmup,
      idle,
      rates,
      ...result,
      processes,
      invariants,
      notes,
    };
  } finally {
    sampler.stop();
    client.close();
    await redis?.quit().catch(() => redis.disconnect());
    await mongo?.close();
  }
}
