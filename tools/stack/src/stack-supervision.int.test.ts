import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import WebSocket from 'ws';
import { deadLetterFields, fieldsToList, STREAMS } from '@pizza/shared';
import { CreatedOrder, MenuResponse, OrderView, StatusMessage } from '@pizza/shared/contract';
import { dropExternalDbs, uniqueDbName, waitFor } from '@pizza/shared/testing';
import { startStack, type Stack } from './stack';

/**
 * The stack with its data in a folder, as npm start runs it: each of its processes is SIGKILLed in turn,
 * and each time the stack comes back by itself and serves an order to the door again.
 */
jest.setTimeout(600_000);

const dataDir = mkdtempSync(join(tmpdir(), 'pizza-supervision-'));
const MONGO_DB = uniqueDbName('supervision');
const lines: string[] = [];
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    port: 0,
    dataDir,
    buildFrontend: false,
    env: { MONGO_DB, SIMULATOR_MIN_DELAY_MS: '0', SIMULATOR_MAX_DELAY_MS: '20', STREAM_CLAIM_IDLE_MS: '500', LOG_LEVEL: 'warn' },
    log: (line) => lines.push(line),
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  await dropExternalDbs(MONGO_DB);
  rmSync(dataDir, { recursive: true, force: true });
});

function pidOf(name: string): number | undefined {
  return stack.processes().find((p) => p.name === name)?.pid;
}

/** An order placed through the gateway reaches `delivered`, over HTTP and over a tracking WebSocket. */
async function servesAnOrder(): Promise<void> {
  const menu = await waitFor(
    async () => {
      const res = await fetch(`${stack.url}/api/v1/menu`);
      return res.status === 200 ? MenuResponse.parse(await res.json()).items : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 100, what: 'the menu to be served' },
  );
  const item = menu.find((i) => i.stock > 0)!;
  const created = await waitFor(
    async () => {
      const res = await fetch(`${stack.url}/api/v1/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ items: [{ item_id: item.id, quantity: 1 }], customer: { name: 'Ada', address: '1 Loop Lane' } }),
      });
      return res.status === 201 ? CreatedOrder.parse(await res.json()) : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 100, what: 'an order to be accepted' },
  );
  const url = `${stack.url}/api/v1/orders/${created.id}?token=${created.tracking_token}`;
  await waitFor(async () => OrderView.parse(await (await fetch(url)).json()).status === 'delivered', {
    timeoutMs: 60_000,
    intervalMs: 100,
    what: 'the order to be delivered',
  });
  const seen = await waitFor(() => trackedStatus(created), { timeoutMs: 60_000, what: 'a tracking WebSocket to answer' });
  expect(seen).toBe('delivered');
}

/** The status a tracking WebSocket sends first, or undefined if it could not connect. */
function trackedStatus(order: CreatedOrder): Promise<string | undefined> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${stack.url.replace('http', 'ws')}/ws/v1/order-tracking/${order.id}?token=${order.tracking_token}`);
    const done = (status: string | undefined) => {
      ws.terminate();
      resolve(status);
    };
    ws.once('message', (data) => done(StatusMessage.safeParse(JSON.parse(String(data))).data?.status));
    ws.once('error', () => done(undefined));
    ws.once('close', () => done(undefined));
  });
}

describe('a supervised stack', () => {
  test.each(['orders', 'delivery', 'notifications', 'simulator', 'redis', 'mongo-lite'])(
    'when %s is SIGKILLed, then it is restarted and the stack serves again',
    async (name) => {
      const pid = pidOf(name);
      expect(pid).toBeDefined();
      process.kill(pid!, 'SIGKILL');
      const fresh = await waitFor(() => (pidOf(name) !== pid ? pidOf(name) : undefined), {
        timeoutMs: 60_000,
        what: `${name} to be restarted`,
      });
      expect(lines).toContain(`${name}: exited unexpectedly (killed by SIGKILL); restarting it in 1 s`);
      expect(lines).toContain(`${name}: restarted (pid ${fresh})`);
      await servesAnOrder();
    },
  );

  test('a new dead letter makes a warning line, also after Redis came back', async () => {
    const redis = new Redis(stack.redisUrl);
    try {
      const meta = {
        original_stream: STREAMS.orders,
        original_id: '1-0',
        group: 'delivery-group',
        consumer: 'delivery-x',
        attempts: '5',
        last_error: 'oven is cold',
        failed_at: new Date().toISOString(),
      };
      const id = await redis.xadd(STREAMS.deadLetters, '*', ...fieldsToList(deadLetterFields(meta, { event_type: 'order.created' })));
      const warning = `dead letter: delivery (delivery-group) gave up on order.created from ${STREAMS.orders} after 5 attempt(s): oven is cold (npm run dlq -- show ${id})`;
      await waitFor(() => lines.includes(warning), { what: 'the dead-letter warning' });
    } finally {
      redis.disconnect();
    }
  });
});
