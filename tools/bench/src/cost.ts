import { countDelta } from './commandstats';

/**
 * What the stack spent on a phase's orders: CPU per process, Redis commands and MongoDB operations, each
 * read before the first POST and after the last order was delivered, and divided by the orders delivered.
 * The window includes whatever the stack does when idle (polling loops, heartbeats) meanwhile: that is
 * part of what an order costs at that rate.
 */
export interface CounterSnapshot {
  /** performance.now() of the reading. */
  atMs: number;
  cpu: { pid: number; label: string; ms: number | undefined }[];
  /** Calls per command from `INFO commandstats`; undefined without a Redis to ask. */
  redisCalls?: Record<string, number>;
  /** `serverStatus().opcounters`; undefined when the server does not report them. */
  mongoOps?: Record<string, number>;
}

export interface OrderCost {
  orders: number;
  windowMs: number;
  /** Per process, in the order of the first reading; undefined where CPU time could not be read. */
  cpuMsPerOrder: { label: string; ms: number | undefined }[];
  /** Sum over the processes that could be read; `partial` when some could not. */
  totalCpuMsPerOrder: number | undefined;
  partial: boolean;
  redisPerOrder?: { total: number; byCommand: Record<string, number> };
  mongoPerOrder?: { total: number; byOp: Record<string, number> };
}

/** The bench's own readings that land in the counters: one `INFO` per reading. */
const OWN_REDIS_COMMANDS = ['info'];
/** The closing `serverStatus` counts itself (the opening one is already in the first reading). */
const OWN_MONGO_COMMANDS = 1;

const perOrder = (counts: Record<string, number>, orders: number) =>
  Object.fromEntries(
    Object.entries(counts)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => [k, v / orders]),
  );
const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

export function orderCost(before: CounterSnapshot, after: CounterSnapshot, orders: number): OrderCost {
  const n = Math.max(1, orders);
  const cpuMsPerOrder = before.cpu.map(({ pid, label, ms }) => {
    const end = after.cpu.find((c) => c.pid === pid)?.ms;
    return { label, ms: ms === undefined || end === undefined ? undefined : (end - ms) / n };
  });
  const known = cpuMsPerOrder.filter((c) => c.ms !== undefined);
  const cost: OrderCost = {
    orders,
    windowMs: after.atMs - before.atMs,
    cpuMsPerOrder,
    totalCpuMsPerOrder: known.length ? known.reduce((a, c) => a + c.ms!, 0) : undefined,
    partial: known.length < cpuMsPerOrder.length,
  };
  if (before.redisCalls && after.redisCalls) {
    const delta = countDelta(before.redisCalls, after.redisCalls, OWN_REDIS_COMMANDS);
    cost.redisPerOrder = { total: sum(delta) / n, byCommand: perOrder(delta, n) };
  }
  if (before.mongoOps && after.mongoOps) {
    const delta = countDelta(before.mongoOps, after.mongoOps);
    if (delta.command) delta.command -= OWN_MONGO_COMMANDS;
    cost.mongoPerOrder = { total: sum(delta) / n, byOp: perOrder(delta, n) };
  }
  return cost;
}
