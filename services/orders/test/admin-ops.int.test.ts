import { newEvent } from '@pizza/shared';
import { STREAMS } from '@pizza/shared/contract';
import { waitFor } from '@pizza/shared/testing';
import { call, type ErrorReply } from './support/http';
import { addItems, ADMIN_TOKEN, menuItem, useStack } from './support/stack';

const stack = useStack();
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

test('a dead letter is shown in full, replayed to its stream, and all are purged', async () => {
  const poison = newEvent(
    'order.status_simulated',
    { order_id: 'never-placed', status: 'confirmed' },
    { source: 'test' },
  );
  await stack.bus.publish(poison);
  const [id] = await waitFor(
    async () =>
      (await stack.redis.xrange(STREAMS.deadLetters, '-', '+')).map(([i]) => i)[0] &&
      (await stack.redis.xrange(STREAMS.deadLetters, '-', '+')).map(([i]) => i),
    { what: 'a dead letter' },
  );

  const shown = await call<{ meta: Record<string, string>; original: Record<string, string> }>(
    stack.url,
    'GET',
    `/api/v1/admin/dead-letters/${id}`,
    { headers: admin },
  );
  expect(shown.status).toBe(200);
  expect(shown.body.meta.group).toBe('orders-group');
  expect(shown.body.original.event_id).toBe(poison.event_id);
  expect((await call(stack.url, 'GET', '/api/v1/admin/dead-letters/0-1', { headers: admin })).status).toBe(
    404,
  );
  expect((await call(stack.url, 'GET', `/api/v1/admin/dead-letters/${id}`)).status).toBe(401);

  const before = await stack.redis.xlen(STREAMS.orderStatus);
  const replayed = await call<{ stream: string }>(
    stack.url,
    'POST',
    `/api/v1/admin/dead-letters/${id}/replay`,
    { headers: admin },
  );
  expect(replayed.body.stream).toBe(STREAMS.orderStatus);
  expect(await stack.redis.xlen(STREAMS.orderStatus)).toBe(before + 1);
  // It fails again, so it comes back: then a purge empties the stream.
  await waitFor(async () => (await stack.redis.xlen(STREAMS.deadLetters)) === 1, {
    what: 'the replay dead-lettered again',
  });
  const purged = await call<{ purged: number }>(stack.url, 'DELETE', '/api/v1/admin/dead-letters', {
    headers: admin,
  });
  expect(purged.body.purged).toBe(1);
  expect(await stack.redis.xlen(STREAMS.deadLetters)).toBe(0);
});

test('a demo load is bounded, runs one at a time, and places real orders through the API', async () => {
  const tooMany = await call<ErrorReply>(stack.url, 'POST', '/api/v1/admin/demo-load', {
    headers: admin,
    json: { count: 501, per_second: 10 },
  });
  expect(tooMany.status).toBe(400);
  expect((await call(stack.url, 'POST', '/api/v1/admin/demo-load', { json: { count: 1 } })).status).toBe(401);

  await addItems(stack.db, menuItem('demo-load-pizza', 100));
  const before = await stack.redis.xlen(STREAMS.orders);
  const started = await call(stack.url, 'POST', '/api/v1/admin/demo-load', {
    headers: admin,
    json: { count: 5, per_second: 10 },
  });
  expect(started.status).toBe(202);
  const again = await call<ErrorReply>(stack.url, 'POST', '/api/v1/admin/demo-load', {
    headers: admin,
    json: { count: 5 },
  });
  expect(again.status).toBe(409);
  await waitFor(async () => (await stack.redis.xlen(STREAMS.orders)) >= before + 5, {
    what: 'five orders created',
  });
});
