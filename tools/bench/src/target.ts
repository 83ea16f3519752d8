import { readFileSync } from 'node:fs';
import { startStack, type Stack } from '@pizza/stack';
import { connectMongo } from '@pizza/shared';
import { GENEROUS_LIMITS_ENV } from '@pizza/shared/testing';
import type { ProcessTarget } from './sampler';

/**
 * What the bench runs against: its own stack (simulator delays 0, stock raised so a run cannot sell out),
 * or an existing one given by `--url` (then Redis only if `--redis-url`/REDIS_URL, processes only if `--pids`).
 */
export interface Target {
  url: string;
  wsOrigin: string;
  ownStack: boolean;
  redisUrl?: string;
  /** Lines the launcher logged about Redis and MongoDB (which one is in use). */
  infrastructure: string[];
  processes(): ProcessTarget[];
  stop(): Promise<void>;
}

/** Each item's stock is raised to at least this in the bench's own stack. */
export const BENCH_STOCK = 1_000_000;

function nameOf(pid: number): string {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    if (cmdline.includes('mongo-lite')) return 'mongo-lite';
    if (cmdline.includes('mongod')) return 'mongod';
    const service = /services\/([a-z-]+)\//.exec(cmdline)?.[1];
    if (service) return service;
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return `pid ${pid}`;
  }
}

function stackProcesses(stack: Stack): ProcessTarget[] {
  const services = stack.services.map((s) => ({ pid: s.pid, label: s.label }));
  const others = stack.pids().filter((pid) => !services.some((s) => s.pid === pid));
  return [
    ...services,
    ...others.map((pid) => ({ pid, label: nameOf(pid) })),
    { pid: process.pid, label: 'bench (client + gateway)' },
  ];
}

async function raiseStock(stack: Stack): Promise<void> {
  const mongo = await connectMongo(stack.mongoUrl, stack.mongoDb, 'bench');
  try {
    await mongo.db.collection('menu').updateMany({}, { $max: { stock: BENCH_STOCK } });
  } finally {
    await mongo.close();
  }
}

export async function ownStack(log: (msg: string) => void): Promise<Target> {
  const infrastructure: string[] = [];
  const stack = await startStack({
    port: 0,
    // Every simulated customer is 127.0.0.1: one client to the rate limits.
    env: { ...GENEROUS_LIMITS_ENV, SIMULATOR_MIN_DELAY_MS: '0', SIMULATOR_MAX_DELAY_MS: '0' },
    buildFrontend: false,
    log: (msg) => {
      if (/^(redis|mongo)/i.test(msg)) infrastructure.push(msg);
      log(msg);
    },
  });
  try {
    await raiseStock(stack);
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return {
    url: stack.url,
    wsOrigin: stack.url.replace(/^http/, 'ws'),
    ownStack: true,
    redisUrl: stack.redisUrl,
    infrastructure,
    processes: () => stackProcesses(stack),
    stop: () => stack.stop(),
  };
}

export function existingStack(url: string, redisUrl: string | undefined, pids: number[]): Target {
  const origin = new URL(url).origin;
  return {
    url: origin,
    wsOrigin: origin.replace(/^http/, 'ws'),
    ownStack: false,
    redisUrl,
    infrastructure: redisUrl
      ? [`redis: ${redisUrl.replace(/\/\/[^@]*@/, '//***@')} (streams read after the run)`]
      : [],
    processes: () => pids.map((pid) => ({ pid, label: nameOf(pid) })),
    stop: async () => undefined,
  };
}
