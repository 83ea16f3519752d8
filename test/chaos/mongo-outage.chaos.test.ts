import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startMongoLite, type MongoInstance } from '@pizza/stack';
import { waitFor } from '@pizza/shared/testing';
import { Customers } from './support/customers';
import { ordersInDb, stockLevels } from './support/checks';
import { expectIntact, settle } from './support/outcome';
import { report, SIZE } from './support/scale';
import { startChaosStackOn, type ChaosStack } from './support/stack';

/**
 * MongoDB (the stand-in, persisted) is SIGKILLed under load and started again on the same port and data after
 * a while. An outage is not the events' fault: nothing may be dead-lettered, every accepted order must be
 * delivered exactly once with stock conserved, and requests meanwhile get a quick 503 instead of hanging.
 * Against an external MONGO_URL there is no server of ours to kill, so the case is skipped.
 */
const DOWN_MS = Number(process.env.CHAOS_MONGO_DOWN_MS ?? SIZE.mongoOutage.downMs);
let chaos: ChaosStack | undefined;
let mongo: MongoInstance | undefined;
const dir = mkdtempSync(join(tmpdir(), 'pizza-chaos-mongo-'));
const external = !!process.env.MONGO_URL;

afterAll(async () => {
  await chaos?.stop();
  await mongo?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

(external ? test.skip : test)(
  'when MongoDB is killed under load and restarted on its data, then no event is dead-lettered and every accepted order is delivered exactly once',
  async () => {
    const port = await freePort();
    mongo = await startMongoLite({ dbpath: dir, port });
    const c = (chaos = await startChaosStackOn({ MONGO_URL: mongo.url }));
    const before = await stockLevels(c.db);
    const ordersBefore = await ordersInDb(c.db);
    const customers = new Customers(c.stack.url, [...before.keys()]);

    const started = performance.now();
    const ordering = customers.run(SIZE.mongoOutage.orders, SIZE.mongoOutage.ratePerSecond);
    await waitFor(() => customers.counts.orders >= SIZE.mongoOutage.orders / 3, { timeoutMs: 120_000, what: 'a third of the orders' });
    const acceptedBefore = customers.counts.accepted;
    process.kill(mongo.pid!, 'SIGKILL');
    await mongo.stop();
    const downAt = performance.now();
    // Readiness says so while it is down, and a request that needs the database is answered quickly.
    const orders = c.stack.services.find((s) => s.label === 'orders')!;
    await waitFor(async () => (await fetch(`${orders.url}/api/v1/health`)).status === 503, { timeoutMs: 15_000, what: 'orders readiness 503' });
    const probeStarted = performance.now();
    const probe = await fetch(`${c.stack.url}/api/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ item_id: [...before.keys()][0], quantity: 1 }], customer: { name: 'Probe', address: '1 Outage Road' } }),
    });
    const probeMs = Math.round(performance.now() - probeStarted);
    // Kept down for a while (a fault schedule, not a synchronisation).
    await new Promise((r) => setTimeout(r, Math.max(0, DOWN_MS - (performance.now() - downAt))));
    mongo = await startMongoLite({ dbpath: dir, port });
    const downMs = Math.round(performance.now() - downAt);
    const acceptedWhileDown = customers.counts.accepted - acceptedBefore;
    await ordering;

    const outcome = await settle(c, customers, { stock: before, orders: ordersBefore });
    report('mongo-outage', {
      mongoDownMs: downMs,
      acceptedWhileDown,
      probeStatus: probe.status,
      probeRetryAfter: probe.headers.get('retry-after'),
      probeMs,
      settledMs: Math.round(performance.now() - started),
      ...outcome.counts,
    });

    expect(probe.status).toBe(503);
    expect(probe.headers.get('retry-after')).not.toBeNull();
    // Its own server selection (MONGO_SERVER_SELECTION_TIMEOUT_MS, 3 s), after the requests for the same item
    // that came before it, as orders of one item take turns (about 7 s measured with admission control off).
    expect(probeMs).toBeLessThan(10_000);
    expectIntact(outcome, customers);
  },
  480_000,
);
