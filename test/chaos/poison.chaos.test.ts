import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { createLogger, EventBus, GROUPS, listDeadLetters, newEvent } from '@pizza/shared';
import { waitFor } from '@pizza/shared/testing';
import { Customers } from './support/customers';
import { deadLetterCount, deliveryCounts, stockDrift, stockLevels, waitDelivered } from './support/checks';
import { restoreLostOrders } from './support/restore';
import { report, SIZE } from './support/scale';
import { startChaosStack, type ChaosStack } from './support/stack';

/**
 * Poison while good traffic flows, then the operator's fix and `dlq replay-all`.
 *
 * The poison: valid `order.status_changed → out_for_delivery` envelopes for orders nobody has heard of (as
 * if their order.created was lost upstream). The delivery service cannot create a delivery without the
 * address order.created carries, so each attempt fails (retryable), the entry is reclaimed after
 * STREAM_CLAIM_IDLE_MS, and after STREAM_MAX_RETRIES attempts it lands in `dead-letters`. The gateway
 * ignores an update for an unknown order; nothing else consumes it. Good orders must be unaffected.
 *
 * "After the fix" means what an operator can honestly do: restore the lost orders (their documents as of
 * out_for_delivery and their order.created again; see support/restore.ts). Only then can the handler succeed,
 * and the real `npm run dlq -- replay-all` must bring every poison entry through: each restored order gets
 * exactly one delivery and reaches delivered, and dead-letters ends empty.
 */
const MAX_RETRIES = 3;
const ROOT = resolve(__dirname, '../..');
let chaos: ChaosStack | undefined;
let bus: EventBus | undefined;

afterAll(async () => {
  await bus?.close();
  await chaos?.stop();
}, 120_000);

test('when poison entries arrive among good orders, then they are dead-lettered after the retries, and after the fix replay-all brings them all through', async () => {
  const c = (chaos = await startChaosStack({
    STREAM_MAX_RETRIES: String(MAX_RETRIES),
    STREAM_CLAIM_IDLE_MS: '300',
  }));
  const b = (bus = new EventBus({
    redisUrl: c.stack.redisUrl,
    logger: createLogger({ service: 'chaos', level: 'silent' }),
    name: 'chaos-poison',
  }));
  const before = await stockLevels(c.db);
  const customers = new Customers(c.stack.url, [...before.keys()]);
  const lost = Array.from({ length: SIZE.poison.poison }, () => randomUUID());
  const poisonIds = new Set<string>();

  // Good traffic and poison at once: the poison goes out in ten slices while the customers order.
  const ordering = customers.run(SIZE.poison.goodOrders, 10);
  for (let i = 0; i < lost.length; i += lost.length / 10) {
    const events = lost
      .slice(i, i + lost.length / 10)
      .map((id) =>
        newEvent(
          'order.status_changed',
          { order_id: id, from: 'preparing', status: 'out_for_delivery', at: new Date().toISOString() },
          { source: 'orders', correlationId: id },
        ),
      );
    for (const e of events) poisonIds.add(e.event_id);
    await b.publish(events);
    await waitFor(
      () => customers.counts.orders >= ((i + lost.length / 10) / lost.length) * SIZE.poison.goodOrders * 0.9,
      { timeoutMs: 60_000 },
    );
  }
  await ordering;
  const good = customers.placed.map((o) => o.id);
  const goodStuck = await waitDelivered(c.db, good, 120_000);
  await waitFor(async () => (await deadLetterCount(c.redis)) >= lost.length, {
    timeoutMs: 120_000,
    intervalMs: 200,
    what: 'every poison entry dead-lettered',
  });
  const letters = await listDeadLetters(c.redis, 10 * lost.length);
  const drift = stockDrift(before, await stockLevels(c.db), customers.taken());

  // The fix, then the real CLI.
  const restored = await restoreLostOrders(c.db, b, lost);
  await waitFor(
    async () =>
      (await c.db.collection<{ _id: string }>('order_addresses').countDocuments({ _id: { $in: lost } })) ===
      lost.length,
    {
      timeoutMs: 60_000,
      what: 'the delivery service to learn the restored orders',
    },
  );
  const cli = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'tools/ops/src/dlq-cli.ts', 'replay-all'],
    {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL: c.stack.redisUrl },
    },
  );
  const restoredStuck = await waitDelivered(c.db, lost, 120_000);
  const deliveries = await deliveryCounts(c.db, c.redis, lost);
  await waitFor(async () => (await deadLetterCount(c.redis)) === 0, {
    timeoutMs: 30_000,
    what: 'dead-letters to stay empty',
  }).catch(() => undefined);
  const lettersAfter = await deadLetterCount(c.redis);
  const sample = restored[0]!;
  const view = (await (
    await fetch(`${c.stack.url}/api/v1/orders/${sample.id}?token=${sample.token}`)
  ).json()) as { status?: string };

  report('poison', {
    poison: lost.length,
    deadLettered: letters.length,
    deadLetteredByDelivery: letters.filter((l) => l.meta.group === GROUPS.delivery).length,
    attempts: [...new Set(letters.map((l) => l.meta.attempts))].join(','),
    goodOrders: customers.counts.accepted,
    goodDelivered: good.length - goodStuck.length,
    stockDrift: drift.length,
    cli: cli.stdout.trim(),
    restoredDelivered: lost.length - restoredStuck.length,
    restoredDeliveriesNotOne: deliveries.notOne.length,
    deadLettersAfter: lettersAfter,
  });
  if (goodStuck.length || restoredStuck.length) process.stdout.write(`${c.lastLines()}\n`);

  expect(goodStuck).toEqual([]);
  expect(drift).toEqual([]);
  expect(letters).toHaveLength(lost.length);
  for (const letter of letters) {
    expect(poisonIds.has(letter.original.event_id ?? '')).toBe(true);
    expect(letter.meta.group).toBe(GROUPS.delivery);
    expect(Number(letter.meta.attempts)).toBe(MAX_RETRIES);
  }
  expect(cli.stdout).toContain(`replayed ${lost.length} dead letter`);
  expect(restoredStuck).toEqual([]);
  expect(deliveries.notOne).toEqual([]);
  expect(view.status).toBe('delivered');
  expect(lettersAfter).toBe(0);
}, 480_000);
