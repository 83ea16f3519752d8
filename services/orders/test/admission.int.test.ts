import { randomUUID } from 'node:crypto';
import { GROUPS, STREAMS } from '@pizza/shared/contract';
import { metricValue, waitFor } from '@pizza/shared/testing';
import { call, orderRequest, type ErrorReply, type OrderBody } from './support/http';
import { useProcessInfra } from './support/process';
import { eventsOn, menuItem, stockOf } from './support/stack';
import { BACKLOG_READ_INTERVAL_MS } from '../src/http/admission';
import { collections } from '../src/store/collections';

/** Admission control on the real process: fast 503s past a bound, and every accepted order kept. */
const infra = useProcessInfra('orders_admission');
const STOCK = 1_000;

async function place(url: string, item: string) {
  const started = performance.now();
  const reply = await call<OrderBody & ErrorReply>(url, 'POST', '/api/v1/orders', {
    json: orderRequest([item, 1]),
  });
  return { ...reply, ms: performance.now() - started };
}

const shedCount = (url: string, reason: string) => metricValue(url, 'orders_shed_total', { reason });

/** Every accepted order is stored, its stock taken once, and its order.created published. */
async function expectAllKept(item: string, accepted: string[]) {
  expect(await stockOf(infra.db, item)).toBe(STOCK - accepted.length);
  expect(await collections(infra.db).orders.countDocuments({ _id: { $in: accepted } })).toBe(accepted.length);
  await waitFor(
    async () => {
      const created = new Set(
        (await eventsOn(infra.redis, STREAMS.orders)).map(
          (e) => (e.payload as { order_id?: string }).order_id,
        ),
      );
      return accepted.every((id) => created.has(id));
    },
    { timeoutMs: 20_000, what: 'order.created of every accepted order' },
  );
}

test('past ORDERS_MAX_IN_FLIGHT, a burst gets fast 503 overloaded with Retry-After, and nothing accepted is lost', async () => {
  const item = `burst-${randomUUID().slice(0, 8)}`;
  await collections(infra.db).menu.insertOne(menuItem(item, STOCK));
  const { url } = await infra.launch({ ORDERS_MAX_IN_FLIGHT: '2' });
  const shedBefore = await shedCount(url, 'in_flight');

  const replies: Awaited<ReturnType<typeof place>>[] = [];
  // Bursts of 30 at once until one is shed: two run, the rest find the bound taken.
  await waitFor(
    async () => {
      replies.push(...(await Promise.all(Array.from({ length: 30 }, () => place(url, item)))));
      return replies.some((r) => r.status === 503);
    },
    { timeoutMs: 30_000, what: 'a shed request' },
  );

  expect([...new Set(replies.map((r) => r.status))].sort()).toEqual([201, 503]);
  const shed = replies.filter((r) => r.status === 503);
  for (const reply of shed) {
    expect(reply.body.error.code).toBe('overloaded');
    expect(reply.headers.get('retry-after')).toBe('1');
  }
  // Shed before any MongoDB work: far quicker than an accepted order (generous for a busy machine).
  expect(Math.max(...shed.map((r) => r.ms))).toBeLessThan(1_000);
  expect(await shedCount(url, 'in_flight')).toBe(shedBefore + shed.length);
  await expectAllKept(
    item,
    replies.filter((r) => r.status === 201).map((r) => r.body.id),
  );
}, 120_000);

test('past ORDERS_MAX_BACKLOG unread by a group, new orders are shed until the group catches up', async () => {
  const item = `backlog-${randomUUID().slice(0, 8)}`;
  await collections(infra.db).menu.insertOne(menuItem(item, STOCK));
  // A delivery group that reads nothing yet: every order.created waits in its backlog.
  await infra.redis.xgroup('CREATE', STREAMS.orders, GROUPS.delivery, '$', 'MKSTREAM');
  const { url } = await infra.launch({ ORDERS_MAX_BACKLOG: '3' });

  const accepted: string[] = [];
  const shedBefore = await shedCount(url, 'backlog');
  /** Places orders one after another until one is answered `status`; keeps the ids of the accepted. */
  const placeUntil = (status: number, what: string) =>
    waitFor(
      async () => {
        const reply = await place(url, item);
        if (reply.status === 201) accepted.push(reply.body.id);
        return reply.status === status ? reply : undefined;
      },
      { timeoutMs: 30_000, what },
    );
  const refused = await placeUntil(503, 'an order shed for the backlog');
  expect(accepted.length).toBeGreaterThan(3);
  expect(refused.body.error.code).toBe('overloaded');
  expect(refused.headers.get('retry-after')).toBe('1');
  // One at a time, up to the first refusal: exactly one was shed.
  expect(await shedCount(url, 'backlog')).toBe(shedBefore + 1);

  // The group reads and acknowledges everything: orders are taken again.
  const read = (await infra.redis.xreadgroup(
    'GROUP',
    GROUPS.delivery,
    'test',
    'STREAMS',
    STREAMS.orders,
    '>',
  )) as [string, [string, string[]][]][] | null;
  const ids = (read?.[0]?.[1] ?? []).map(([id]) => id);
  if (ids.length > 0) await infra.redis.xack(STREAMS.orders, GROUPS.delivery, ...ids);
  await placeUntil(201, 'an order accepted once the backlog is read');
  await expectAllKept(item, accepted);
}, 120_000);

test('a lagging notifications group does not shed orders: the gateway only shows progress', async () => {
  const item = `view-${randomUUID().slice(0, 8)}`;
  await collections(infra.db).menu.insertOne(menuItem(item, STOCK));
  // Only the gateway's group, which reads nothing (it is down); no group that moves orders on lags.
  await infra.redis.del(...Object.values(STREAMS));
  await infra.redis.xgroup('CREATE', STREAMS.orders, GROUPS.notifications, '$', 'MKSTREAM');
  const { url } = await infra.launch({ ORDERS_MAX_BACKLOG: '3' });
  const shedBefore = await shedCount(url, 'backlog');
  const accepted: string[] = [];
  // Orders keep coming for several backlog reads, each of which sees the gateway's group further behind.
  const until = Date.now() + 4 * BACKLOG_READ_INTERVAL_MS;
  while (accepted.length < 10 || Date.now() < until) {
    const reply = await place(url, item);
    expect(reply.status).toBe(201);
    accepted.push(reply.body.id);
  }
  expect(await shedCount(url, 'backlog')).toBe(shedBefore);
  await expectAllKept(item, accepted);
}, 120_000);
