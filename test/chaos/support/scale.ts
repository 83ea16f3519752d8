/**
 * CHAOS_SCALE=ci (default) keeps the whole chaos suite within about five minutes on two cores;
 * CHAOS_SCALE=full runs the full sizes (1,000 orders under kills, 10,000 fuzz cases). CHAOS_SEED makes the fuzzer's input reproducible.
 * CHAOS_MONGO_DOWN_MS overrides how long the MongoDB outage case keeps the database down (60 s at both sizes: the
 * outage the guarantee names).
 */
export const SCALE: 'ci' | 'full' = process.env.CHAOS_SCALE === 'full' ? 'full' : 'ci';

const SIZES = {
  ci: {
    kill: { orders: 200, ratePerSecond: 10, killEveryMs: 2_000 },
    redis: { orders: 150, ratePerSecond: 15 },
    poison: { poison: 100, goodOrders: 60 },
    fuzz: { cases: 2_000, concurrency: 16 },
    trim: { orders: 150, ratePerSecond: 15 },
    mongoOutage: { orders: 120, ratePerSecond: 10, downMs: 60_000 },
    dataLoss: { orders: 120, ratePerSecond: 12 },
  },
  full: {
    kill: { orders: 1_000, ratePerSecond: 25, killEveryMs: 3_000 },
    redis: { orders: 600, ratePerSecond: 25 },
    poison: { poison: 100, goodOrders: 300 },
    fuzz: { cases: 10_000, concurrency: 32 },
    trim: { orders: 600, ratePerSecond: 25 },
    mongoOutage: { orders: 600, ratePerSecond: 10, downMs: 60_000 },
    dataLoss: { orders: 600, ratePerSecond: 25 },
  },
} as const;

export const SIZE = SIZES[SCALE];

export const SEED = Number(process.env.CHAOS_SEED ?? Date.now() % 2 ** 31);

/** One line of counts per case, easy to grep from the Jest output. */
export function report(name: string, counts: Record<string, unknown>): void {
  const text = Object.entries(counts)
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' ');
  process.stdout.write(`\nchaos[${name}] scale=${SCALE} ${text}\n`);
}
