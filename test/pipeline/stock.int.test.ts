import WebSocket from 'ws';
import { StockMessage, WS_STOCK_PATH } from '@pizza/shared/contract';
import { waitFor } from '@pizza/shared/testing';
import { MENU_SEED } from '@pizza/orders/src/seed';
import { placeOrder } from './api';
import { usePipeline, type ServiceProcess } from './harness';

/**
 * Live stock as real processes: the order service's stock.changed goes through its outbox and the bus to the
 * gateway, which pushes it to menu viewers on every replica (one replica applies each event, both push).
 */
jest.setTimeout(120_000);
const p = usePipeline();
let orders: ServiceProcess;
let gateways: ServiceProcess[];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  const [o, n1, n2] = await Promise.all([
    p.spawn('orders'),
    p.spawn('notifications', { label: 'notifications-1', env: { WS_STOCK_INTERVAL_MS: '100' } }),
    p.spawn('notifications', { label: 'notifications-2', env: { WS_STOCK_INTERVAL_MS: '100' } }),
  ]);
  orders = o;
  gateways = [n1, n2];
}, 120_000);

afterAll(() => {
  for (const ws of sockets) ws.terminate();
});

/** A menu viewer on one gateway: the latest level it was pushed, per item. */
function viewer(gateway: ServiceProcess) {
  const ws = new WebSocket(`${gateway.url.replace('http', 'ws')}${WS_STOCK_PATH}`);
  sockets.push(ws);
  const levels = new Map<string, number>();
  let messages = 0;
  ws.on('message', (data) => {
    messages += 1;
    for (const item of StockMessage.parse(JSON.parse(String(data))).items)
      levels.set(item.item_id, item.stock);
  });
  return { levels, received: () => messages };
}

test('an order takes stock and a refill restores it: every viewer, on every replica, is pushed the level', async () => {
  const viewers = gateways.map(viewer);
  await waitFor(() => viewers.every((v) => v.received() > 0), { what: 'the snapshots' });
  const item = MENU_SEED[0]!;
  const before = await p.db.collection('menu').findOne({ _id: item._id as never });
  const stock = before!.stock as number;

  await placeOrder(orders.url, 0);
  await waitFor(() => viewers.every((v) => v.levels.get(item._id) === stock - 1), {
    what: 'the decrement pushed to both replicas',
  });

  expect(await p.refill()).toBe(0);
  await waitFor(() => viewers.every((v) => v.levels.get(item._id) === before!.target_stock), {
    what: 'the refill pushed to both replicas',
  });
});
