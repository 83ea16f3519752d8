import { SERVICE_NAMES } from '@pizza/stack';
import { Customers } from './support/customers';
import { ordersInDb, stockLevels } from './support/checks';
import { expectIntact, settle } from './support/outcome';
import { report, SEED, SIZE } from './support/scale';
import { startChaosStack, type ChaosStack } from './support/stack';

/**
 * SIGKILL a random service every few seconds while customers order, each killed process replaced by a fresh
 * one (stack.restart). Nothing a customer was told (201) may be lost, no order may get two deliveries, and
 * stock must fall by exactly what the accepted orders took.
 */
let chaos: ChaosStack | undefined;
let killing = false;
let killer: Promise<void> = Promise.resolve();

afterAll(async () => {
  killing = false;
  await killer;
  await chaos?.stop();
}, 120_000);

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

test('when a random service is SIGKILLed every few seconds mid-run, then every accepted order is delivered exactly once and stock is conserved', async () => {
  const c = (chaos = await startChaosStack());
  const before = await stockLevels(c.db);
  const ordersBefore = await ordersInDb(c.db);
  const customers = new Customers(c.stack.url, [...before.keys()]);
  const random = prng(SEED);
  const kills: Record<string, number> = {};
  killing = true;
  const round: string[] = [];

  // The kill cadence is a schedule, not a synchronisation: each restart is awaited before the next one.
  // Kills stop with the customers, or at the planned length of the run if ordering is slowed by the kills.
  const started = performance.now();
  const killUntil = started + (SIZE.kill.orders / SIZE.kill.ratePerSecond) * 1000;
  const killLog: string[] = [];
  killer = (async () => {
    while (killing && performance.now() < killUntil) {
      await new Promise((r) => setTimeout(r, SIZE.kill.killEveryMs));
      if (!killing) break;
      // A random order per round of four: random, and every service is hit once the run is long enough.
      if (round.length === 0) round.push(...[...SERVICE_NAMES].sort(() => random() - 0.5));
      const label = round.pop()!;
      killLog.push(`${label}@${((performance.now() - started) / 1000).toFixed(1)}s`);
      await c.stack.restart(label, 'SIGKILL');
      kills[label] = (kills[label] ?? 0) + 1;
    }
  })();
  try {
    await customers.run(SIZE.kill.orders, SIZE.kill.ratePerSecond);
  } finally {
    killing = false;
    await killer;
  }

  const runMs = Math.round(performance.now() - started);
  const outcome = await settle(c, customers, { stock: before, orders: ordersBefore });
  report('kill', {
    seed: SEED,
    runMs,
    settledMs: Math.round(performance.now() - started),
    kills,
    killLog: killLog.join(','),
    ...outcome.counts,
  });

  expect(Object.values(kills).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  expect(customers.counts.accepted).toBeGreaterThan(0);
  expectIntact(outcome, customers);
}, 480_000);
