import { createHash, randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import {
  createLogger,
  FIRST_ORDER_STATUS,
  EventBus,
  GROUPS,
  newEvent,
  STREAMS,
  type Envelope,
  type OrderStatus,
} from '@pizza/shared';

/**
 * The fan-out bench's orders exist only as events: `order.created` (with the sha256 of a token we chose)
 * and then `order.status_changed`, published on `orders-stream` through the shared bus as orders would.
 */
export const FANOUT_TOKEN = 'fanout-bench-token';
const TOKEN_HASH = createHash('sha256').update(FANOUT_TOKEN).digest('hex');
const BATCH = 500;

export function openBus(redisUrl: string): EventBus {
  return new EventBus({
    redisUrl,
    logger: createLogger({ service: 'bench-ws', level: 'silent' }),
    name: 'bench-ws',
    maxLen: 1_000_000,
  });
}

export function orderIds(n: number): string[] {
  return Array.from({ length: n }, () => randomUUID());
}

function created(orderId: string): Envelope {
  const now = new Date().toISOString();
  return newEvent(
    'order.created',
    {
      order_id: orderId,
      status: FIRST_ORDER_STATUS,
      items: [{ item_id: 'margherita', name: 'Margherita', quantity: 1, unit_price: 899 }],
      total: 899,
      customer: { name: 'Fan-out Bench', address: '1 Loopback Lane' },
      token_hash: TOKEN_HASH,
      created_at: now,
    },
    { source: 'bench', correlationId: orderId },
  );
}

export function statusChanged(orderId: string, from: OrderStatus, status: OrderStatus): Envelope {
  return newEvent(
    'order.status_changed',
    { order_id: orderId, from, status, at: new Date().toISOString() },
    { source: 'bench', correlationId: orderId },
  );
}

export async function publishCreated(bus: EventBus, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += BATCH) await bus.publish(ids.slice(i, i + BATCH).map(created));
}

/** Resolves once the notifications group has read and acked everything on orders-stream. */
export async function groupCaughtUp(redis: Redis): Promise<boolean> {
  const groups = (await redis.xinfo('GROUPS', STREAMS.orders).catch(() => [])) as unknown[][];
  for (const info of groups) {
    const f = new Map<string, unknown>();
    for (let i = 0; i + 1 < info.length; i += 2) f.set(String(info[i]), info[i + 1]);
    if (f.get('name') !== GROUPS.notifications) continue;
    return Number(f.get('pending')) === 0 && Number(f.get('lag')) === 0;
  }
  return false;
}
