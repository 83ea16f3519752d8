import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MONGO_TIMEOUTS, STREAMS } from '@pizza/shared';
import { metricValue, waitFor } from '@pizza/shared/testing';
import { startMongoLite, startRedisServer, type ChildHandle } from '@pizza/stack';
import { MENU_SEED } from '@pizza/orders/src/seed';
import { getOrder, placeOrder, type PlacedOrder } from './api';
import { usePipeline, type ServiceProcess } from './harness';

/**
 * A dependency that hangs or goes away is an outage, not a reason to hang or to give up on events: MongoDB
 * paused (SIGSTOP: connections stay open and nothing answers, the case socket errors never report) and Redis
 * stopped, with services as real processes on servers this file runs itself. Against an external MONGO_URL
 * there is no server of ours to pause, so the file is skipped.
 */
jest.setTimeout(180_000);
const external = !!process.env.MONGO_URL;
const redisDir = mkdtempSync(join(tmpdir(), 'pizza-outage-redis-'));
let mongoProcess: ChildHandle | undefined;
let redisPort = 0;
let redisProcess: ChildHandle | undefined;
const startRedis = async () => {
  // AOF in a kept folder: the restarted server comes back with the streams and groups it had.
  const redis = await startRedisServer({ port: redisPort || undefined, appendonly: true, dir: redisDir });
  [redisPort, redisProcess] = [redis.port, redis.handle];
  return redis;
};
const p = usePipeline({
  mongo: async () => {
    const mongo = await startMongoLite();
    mongoProcess = mongo.handle;
    return mongo;
  },
  redis: startRedis,
});
/** Slow enough that a pause lands while orders are still moving. */
const SLOW = { SIMULATOR_MIN_DELAY_MS: '200', SIMULATOR_MAX_DELAY_MS: '600' };
let orders: ServiceProcess;

beforeAll(async () => {
  if (external) return;
  [orders] = await Promise.all([p.spawn('orders'), p.spawn('delivery'), p.spawn('simulator', { env: SLOW })]);
}, 120_000);

afterAll(async () => {
  await redisProcess?.stop();
  rmSync(redisDir, { recursive: true, force: true });
});

function order(n: number): Promise<PlacedOrder> {
  return placeOrder(orders.url, n);
}

function postOrder(): Promise<Response> {
  return fetch(`${orders.url}/api/v1/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      items: [{ item_id: MENU_SEED[0]!._id, quantity: 1 }],
      customer: { name: 'Outage', address: '1 Pause Road' },
    }),
  });
}

async function readiness(): Promise<{ status: number; down: string[] }> {
  const res = await fetch(`${orders.url}/api/v1/health`);
  const body = (await res.json()) as { error?: { details?: { down?: string[] } } };
  return { status: res.status, down: body.error?.details?.down ?? [] };
}

async function allDelivered(placed: PlacedOrder[]): Promise<void> {
  await waitFor(
    async () =>
      (await Promise.all(placed.map((o) => getOrder(orders.url, o)))).every((v) => v.status === 'delivered'),
    {
      timeoutMs: 60_000,
      intervalMs: 200,
      what: 'every order delivered',
    },
  );
}

(external ? test.skip : test)(
  'when MongoDB is paused, then an order is refused with 503 and Retry-After within the deadlines, readiness says so, and after it resumes every order is delivered with no dead letter',
  async () => {
    const placed = await Promise.all(Array.from({ length: 6 }, (_, i) => order(i)));
    await waitFor(
      async () =>
        (await Promise.all(placed.map((o) => getOrder(orders.url, o)))).some((v) => v.status !== 'created'),
      {
        intervalMs: 10,
        what: 'orders advancing',
      },
    );
    const infraErrorsBefore = await metricValue(orders.url, 'bus_infra_errors_total');

    mongoProcess!.child.kill('SIGSTOP');
    let refusedMs: number;
    let refused: Response;
    try {
      const started = performance.now();
      refused = await postOrder();
      refusedMs = performance.now() - started;
      await waitFor(
        async () => {
          const r = await readiness();
          return r.status === 503 && r.down.includes('mongodb');
        },
        { timeoutMs: 10_000, what: 'readiness 503 naming mongodb' },
      );
      // The consumers' hung operations time out too, and are retried as an outage (not counted as attempts).
      await waitFor(
        async () => (await metricValue(orders.url, 'bus_infra_errors_total')) > infraErrorsBefore,
        {
          timeoutMs: 30_000,
          intervalMs: 200,
          what: 'a consumer meeting the outage',
        },
      );
    } finally {
      mongoProcess!.child.kill('SIGCONT');
    }
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    // A silent server costs one socket timeout (MONGO_SOCKET_TIMEOUT_MS, default 5 s): not a wait for the
    // transaction's abort on top (twice, as the driver retries it), nor a second run of the transaction.
    expect(refusedMs).toBeLessThan(DEFAULT_MONGO_TIMEOUTS.socketMs + 2_000);

    const after = await waitFor(async () => (await postOrder()).status === 201 || undefined, {
      timeoutMs: 30_000,
      intervalMs: 200,
      what: 'an order accepted after the pause',
    });
    expect(after).toBe(true);
    await waitFor(async () => (await readiness()).status === 200, {
      timeoutMs: 10_000,
      what: 'readiness 200',
    });
    placed.push(await order(7));
    await allDelivered(placed);
    expect(await p.redis.xlen(STREAMS.deadLetters)).toBe(0);
  },
);

(external ? test.skip : test)(
  'when Redis is stopped, then readiness answers 503 naming redis, and 200 again once it is back',
  async () => {
    expect((await readiness()).status).toBe(200);
    await redisProcess!.stop();
    try {
      const down = await waitFor(
        async () => {
          const r = await readiness();
          return r.status === 503 ? r : undefined;
        },
        { timeoutMs: 10_000, what: 'readiness 503' },
      );
      expect(down.down).toContain('redis');
    } finally {
      await startRedis();
    }
    await waitFor(async () => (await readiness()).status === 200, {
      timeoutMs: 30_000,
      intervalMs: 200,
      what: 'readiness 200 again',
    });
    await allDelivered([await order(8)]);
  },
);
