import { randomUUID } from 'node:crypto';
import { OUTBOX_COLLECTION } from '@pizza/shared';
import { STREAMS } from '@pizza/shared/contract';
import { waitFor } from '@pizza/shared/testing';
import { customer, orderRequest } from './support/http';
import { useProcessInfra } from './support/process';
import { eventsOn, menuItem, stockOf } from './support/stack';
import { collections } from '../src/store/collections';

const infra = useProcessInfra('orders_crash');
const launch = infra.launch.bind(infra);

test('when the process dies after the commit and before the publish, then the restarted service publishes the order exactly once', async () => {
  const { db, redis } = infra;
  await collections(db).menu.insertOne(menuItem('crash-pizza', 5));
  const crashing = await launch({ FAULT_CRASH_AFTER_COMMIT: '1' });
  const name = `Crash ${randomUUID()}`;

  const attempt = fetch(`${crashing.url}/api/v1/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...orderRequest(['crash-pizza', 2]), customer: { ...customer, name } }),
  });
  await expect(attempt).rejects.toThrow(); // the connection drops: no answer ever comes
  await crashing.child.exited;
  expect(crashing.child.child.signalCode).toBe('SIGKILL');

  // The transaction committed: order, stock and the outbox entry are all there.
  const order = await db.collection('orders').findOne({ 'customer.name': name });
  expect(order).not.toBeNull();
  const orderId = String(order!._id);
  expect(await stockOf(db, 'crash-pizza')).toBe(3);
  const pending = await db
    .collection(OUTBOX_COLLECTION)
    .find({ 'fields.event_type': 'order.created' })
    .toArray();
  expect(pending.map((e) => JSON.parse(String(e.fields.payload)).order_id)).toEqual([orderId]);

  const restarted = await launch();
  const published = await waitFor(
    async () => {
      const events = (await eventsOn(redis, STREAMS.orders, orderId)).filter(
        (e) => e.event_type === 'order.created',
      );
      return events.length > 0 ? events : undefined;
    },
    { timeoutMs: 20_000, what: 'order.created on orders-stream' },
  );
  await waitFor(async () => (await db.collection(OUTBOX_COLLECTION).countDocuments()) === 0, {
    what: 'outbox drained',
  });

  // A consumer that applies by event_id sees the order once, even if the relay had published it twice.
  const applied = new Set(published.map((e) => e.event_id));
  expect(applied.size).toBe(1);
  expect(published[0]!.payload).toMatchObject({ order_id: orderId, token_hash: order!.token_hash });
  await restarted.child.stop();
  expect(restarted.child.child.exitCode).toBe(0);
}, 90_000);
