import type Redis from 'ioredis';
import type { Db } from 'mongodb';
import { z } from 'zod';
import { parseCommandStats } from './commandstats';
import type { CounterSnapshot } from './cost';
import { cpuMsOf, type CpuSource } from './cpu-time';
import type { ProcessTarget } from './sampler';

/** Where the counters of a phase are read from: the stack's processes, its Redis, its MongoDB. */
export interface Probes {
  cpuSource: CpuSource;
  processes(): ProcessTarget[];
  redis?: Redis;
  mongo?: Db;
}

// Counters come back as int32, double or (promoted) int64 depending on the server and their size.
const OpCounters = z.object({ opcounters: z.record(z.string(), z.coerce.number()).optional() });

/** `serverStatus().opcounters`, or undefined when the server does not report them (or refuses). */
async function mongoOps(mongo: Db): Promise<Record<string, number> | undefined> {
  try {
    const status = OpCounters.parse(await mongo.admin().command({ serverStatus: 1 }));
    return status.opcounters;
  } catch {
    return undefined;
  }
}

export async function readCounters(probes: Probes): Promise<CounterSnapshot> {
  const [redisCalls, mongo] = await Promise.all([
    probes.redis?.info('commandstats').then(parseCommandStats),
    probes.mongo ? mongoOps(probes.mongo) : undefined,
  ]);
  const cpu = probes.processes().map((p) => ({ ...p, ms: cpuMsOf(p.pid, probes.cpuSource) }));
  return { atMs: performance.now(), cpu, redisCalls, mongoOps: mongo };
}
