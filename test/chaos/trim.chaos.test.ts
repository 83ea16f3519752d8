import { GROUPS, STREAMS } from '@pizza/shared';
import { waitFor } from '@pizza/shared/testing';
import { Customers } from './support/customers';
import { ordersInDb, stockLevels } from './support/checks';
import { expectIntact, settle } from './support/outcome';
import { report, SIZE } from './support/scale';
import { startChaosStack, type ChaosStack } from './support/stack';

/**
 * The delivery service is paused (SIGSTOP) while customers order with the smallest STREAM_MAXLEN and a fast
 * trimmer, so orders-stream grows far past its length target with the delivery group not reading it. Nothing
 * the group has not acknowledged may be trimmed: once resumed (SIGCONT), every order is delivered.
 */
const MAXLEN = 100;
let chaos: ChaosStack | undefined;
let paused: { kill(signal: NodeJS.Signals): boolean } | undefined;

afterAll(async () => {
  paused?.kill('SIGCONT');
  await chaos?.stop();
}, 120_000);

test('when a consumer is paused while its stream grows past STREAM_MAXLEN, then nothing it has not read is trimmed and every order is delivered', async () => {
  const c = (chaos = await startChaosStack({ STREAM_MAXLEN: String(MAXLEN), STREAM_TRIM_INTERVAL_MS: '200' }));
  const before = await stockLevels(c.db);
  const ordersBefore = await ordersInDb(c.db);
  const customers = new Customers(c.stack.url, [...before.keys()]);
  const delivery = c.stack.services.find((s) => s.label === 'delivery')!;

  const started = performance.now();
  paused = delivery.handle.child;
  delivery.handle.child.kill('SIGSTOP');
  await customers.run(SIZE.trim.orders, SIZE.trim.ratePerSecond);
  const ids = customers.placed.map((o) => o.id);
  // Every order as far as it goes without delivery, so every event the delivery group needs is written.
  await waitFor(
    async () =>
      (await c.db.collection<{ _id: string; status: string }>('orders').countDocuments({ _id: { $in: ids }, status: 'out_for_delivery' })) === ids.length,
    { timeoutMs: 120_000, intervalMs: 500, what: 'every order out for delivery' },
  );
  const lengthWhilePaused = await c.redis.xlen(STREAMS.orders);
  const groups = (await c.redis.xinfo('GROUPS', STREAMS.orders)) as unknown[][];
  const deliveryLag = groups.map((g) => Object.fromEntries(chunk(g))).find((g) => g.name === GROUPS.delivery)?.lag;
  delivery.handle.child.kill('SIGCONT');
  paused = undefined;

  const outcome = await settle(c, customers, { stock: before, orders: ordersBefore });
  // Once every group has caught up, the trimmer brings the stream back towards its target.
  const trimmedBack = await waitFor(async () => ((await c.redis.xlen(STREAMS.orders)) < lengthWhilePaused / 2 ? true : undefined), {
    timeoutMs: 30_000,
    what: 'orders-stream trimmed once read',
  }).catch(() => false);
  report('trim', {
    maxLen: MAXLEN,
    lengthWhilePaused,
    deliveryLag,
    lengthAfter: await c.redis.xlen(STREAMS.orders),
    settledMs: Math.round(performance.now() - started),
    ...outcome.counts,
  });

  expect(lengthWhilePaused).toBeGreaterThan(2 * MAXLEN);
  // delivery.created events may be trimmed once read, so deliveries are counted in the collection only.
  expectIntact(outcome, customers, { deliveryEvents: false });
  expect(trimmedBack).toBe(true);
}, 480_000);

function chunk(list: unknown[]): [string, unknown][] {
  const pairs: [string, unknown][] = [];
  for (let i = 0; i + 1 < list.length; i += 2) pairs.push([String(list[i]), list[i + 1]]);
  return pairs;
}
