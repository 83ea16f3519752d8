import WebSocket from 'ws';
import {
  CreatedOrder,
  journeyText,
  LIFECYCLES,
  MenuResponse,
  ORDER_LIFECYCLE,
  OrderView,
  StatusMessage,
  trackingJourney,
} from '@pizza/shared/contract';
import { waitFor } from '@pizza/shared/testing';
import { cleanUpLaunches, isAlive, launchStack, servicePid, type LaunchedStack } from './launcher';

/** The running stack, driven only through its public surface: HTTP and WebSocket on one origin. */
let stack: LaunchedStack;

/** Every state a tracker of an order that goes the whole way sees, in order (from the lifecycles). */
const FULL_JOURNEY = trackingJourney(LIFECYCLES).map((step) => journeyText(step, '-'));

beforeAll(async () => {
  stack = await launchStack();
}, 240_000);

afterAll(async () => {
  await stack?.handle.stop(15_000);
  await cleanUpLaunches();
});

async function menu() {
  return MenuResponse.parse(await (await fetch(`${stack.url}/api/v1/menu`)).json()).items;
}

async function order(url: string, items: { item_id: string; quantity: number }[]) {
  const res = await fetch(`${url}/api/v1/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ items, customer: { name: 'Ada', address: '1 Loop Lane' } }),
  });
  expect(res.status).toBe(201);
  return CreatedOrder.parse(await res.json());
}

function track(url: string, id: string, token: string) {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/ws/v1/order-tracking/${id}?token=${token}`);
  const messages: StatusMessage[] = [];
  ws.on('message', (data) => messages.push(StatusMessage.parse(JSON.parse(String(data)))));
  return { ws, messages };
}

test('readiness answers 200 through the gateway', async () => {
  const res = await fetch(`${stack.url}/api/v1/health`);
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ status: 'ready', checks: { mongodb: { status: 'up' }, redis: { status: 'up' } } });
  expect((await fetch(`${stack.url}/`)).headers.get('content-type')).toMatch(/text\/html/);
});

test('a tracker connected before the first step sees every status live, in order, and stock falls by exactly what was ordered', async () => {
  const before = await menu();
  const [pizza, drink] = [before.find((i) => i.category === 'pizza')!, before.find((i) => i.category === 'drink')!];
  // The simulator is held, so the order cannot move before its tracker is connected.
  const simulator = servicePid(stack, 'simulator');
  process.kill(simulator, 'SIGSTOP');
  let held = true;
  let tracker: ReturnType<typeof track> | undefined;
  try {
    const created = await order(stack.url, [
      { item_id: pizza.id, quantity: 2 },
      { item_id: drink.id, quantity: 1 },
    ]);
    tracker = track(stack.url, created.id, created.tracking_token);
    const { messages } = tracker;
    const seen = () => messages.map((m) => `${m.status}/${m.delivery_status ?? '-'}`);
    await waitFor(() => messages.length > 0, { timeoutMs: 10_000, what: 'the first push' });
    expect(seen()).toEqual([FULL_JOURNEY[0]]);
    process.kill(simulator, 'SIGCONT');
    held = false;
    await waitFor(() => messages.some((m) => m.status === 'delivered'), { timeoutMs: 30_000, what: 'delivered over WebSocket' });
    // Every intermediate status arrived as a push of its own: no gap, no duplicate, nothing out of order.
    expect(seen()).toEqual(FULL_JOURNEY);

    const view = OrderView.parse(
      await (await fetch(`${stack.url}/api/v1/orders/${created.id}?token=${created.tracking_token}`)).json(),
    );
    expect(view.status).toBe('delivered');
    expect(view.delivery?.status).toBe('delivered');
    expect(view.timeline.map((t) => t.status)).toEqual(ORDER_LIFECYCLE.happyPath);
  } finally {
    if (held) process.kill(simulator, 'SIGCONT');
    tracker?.ws.close();
  }
  const after = await menu();
  expect(after.find((i) => i.id === pizza.id)!.stock).toBe(pizza.stock - 2);
  expect(after.find((i) => i.id === drink.id)!.stock).toBe(drink.stock - 1);
});

test('a second npm start on other ports runs beside the first without colliding', async () => {
  const second = await launchStack();
  try {
    expect(second.url).not.toBe(stack.url);
    const [first] = await menu();
    const created = await order(second.url, [{ item_id: first!.id, quantity: 1 }]);
    await waitFor(
      async () => {
        const res = await fetch(`${second.url}/api/v1/orders/${created.id}?token=${created.tracking_token}`);
        return OrderView.parse(await res.json()).status === 'delivered';
      },
      { timeoutMs: 30_000, what: 'delivered on the second stack' },
    );
    // The first stack never saw that order: each has its own Redis and MongoDB (or database, with MONGO_URL).
    expect((await fetch(`${stack.url}/api/v1/orders/${created.id}?token=${created.tracking_token}`)).status).toBe(404);
  } finally {
    second.handle.child.kill('SIGINT');
    await second.handle.exited;
  }
  await waitFor(() => second.pids.every((pid) => !isAlive(pid)), { timeoutMs: 20_000, what: 'second stack gone' });
}, 240_000);

test('after Ctrl-C no process of the stack remains', async () => {
  const doomed = await launchStack();
  try {
    expect(doomed.pids.length).toBeGreaterThanOrEqual(5); // four services and the launcher, plus private Redis/MongoDB
    expect(doomed.pids.every(isAlive)).toBe(true);
    doomed.handle.child.kill('SIGINT');
    expect(await doomed.handle.exited).toBe(0);
  } finally {
    // Reached early only when an assertion failed: the stack must not outlive the test.
    await doomed.handle.stop(15_000);
  }
  await waitFor(() => doomed.pids.every((pid) => !isAlive(pid)), { timeoutMs: 20_000, what: 'every process to exit' });
}, 240_000);
