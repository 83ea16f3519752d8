import type { Db } from 'mongodb';
import type Redis from 'ioredis';
import { fieldsFromList, listDeadLetters, ORDER_LIFECYCLE, STREAMS } from '@pizza/shared';
import { waitFor } from '@pizza/shared/testing';
import { collections } from '@pizza/orders/src/store/collections';

/** The invariants every chaos case checks, read straight from MongoDB and the streams. */

export async function stockLevels(db: Db): Promise<Map<string, number>> {
  const docs = await collections(db).menu.find({}).toArray();
  return new Map(docs.map((d) => [d._id, d.stock]));
}

/** Items whose stock did not fall by exactly what was taken: empty when stock is conserved. */
export function stockDrift(
  before: Map<string, number>,
  after: Map<string, number>,
  taken: Map<string, number>,
): string[] {
  return [...before].flatMap(([id, was]) => {
    const now = after.get(id);
    const expected = was - (taken.get(id) ?? 0);
    return now === expected ? [] : [`${id}: ${was} → ${now}, expected ${expected}`];
  });
}

/** Waits until every order is delivered; returns the ones that are not (empty on success). */
export async function waitDelivered(db: Db, ids: readonly string[], timeoutMs: number): Promise<string[]> {
  const orders = db.collection<{ _id: string; status: string }>('orders');
  const notDelivered = async () => {
    const delivered = await orders
      .find({ _id: { $in: [...ids] }, status: 'delivered' }, { projection: { _id: 1 } })
      .toArray();
    const done = new Set(delivered.map((d) => d._id));
    return ids.filter((id) => !done.has(id));
  };
  try {
    await waitFor(async () => (await notDelivered()).length === 0, {
      timeoutMs,
      intervalMs: 500,
      what: 'every order delivered',
    });
    return [];
  } catch {
    return notDelivered();
  }
}

/** Orders whose timeline is not exactly the lifecycle's happy path (created → … → delivered), once each. */
export async function badTimelines(db: Db, ids: readonly string[]): Promise<string[]> {
  const docs = await db
    .collection<{ _id: string; timeline: { status: string }[] }>('orders')
    .find({ _id: { $in: [...ids] } }, { projection: { timeline: 1 } })
    .toArray();
  const expected = ORDER_LIFECYCLE.happyPath.join(',');
  return docs.filter((d) => d.timeline.map((t) => t.status).join(',') !== expected).map((d) => d._id);
}

/** Deliveries per order in the delivery service's collection, and distinct delivery ids in delivery.created. */
export async function deliveryCounts(
  db: Db,
  redis: Redis,
  ids: readonly string[],
): Promise<{ notOne: string[]; eventsNotOne: string[] }> {
  const rows = await db
    .collection<{ order_id: string }>('deliveries')
    .aggregate<{ _id: string; n: number }>([
      { $match: { order_id: { $in: [...ids] } } },
      { $group: { _id: '$order_id', n: { $sum: 1 } } },
    ])
    .toArray();
  const perOrder = new Map(rows.map((r) => [r._id, r.n]));
  const notOne = ids.filter((id) => perOrder.get(id) !== 1);

  const created = new Map<string, Set<string>>();
  let start = '-';
  for (;;) {
    const page = await redis.xrange(STREAMS.deliveries, start, '+', 'COUNT', 2000);
    for (const [, list] of page) {
      const f = fieldsFromList(list);
      if (f.event_type !== 'delivery.created') continue;
      const payload = JSON.parse(f.payload ?? '{}') as { order_id?: string; delivery_id?: string };
      if (!payload.order_id || !payload.delivery_id) continue;
      const set = created.get(payload.order_id) ?? new Set<string>();
      set.add(payload.delivery_id);
      created.set(payload.order_id, set);
    }
    if (page.length < 2000) break;
    start = `(${page[page.length - 1]![0]}`;
  }
  const eventsNotOne = ids.filter((id) => created.get(id)?.size !== 1);
  return { notOne, eventsNotOne };
}

export async function ordersInDb(db: Db): Promise<number> {
  return db.collection('orders').countDocuments({});
}

export async function deadLetterCount(redis: Redis): Promise<number> {
  return redis.xlen(STREAMS.deadLetters);
}

/** Dead letters grouped by consumer group, event type and the start of the last error, for the report. */
export async function deadLetterSummary(redis: Redis): Promise<Record<string, number>> {
  const summary: Record<string, number> = {};
  for (const letter of await listDeadLetters(redis, 1000)) {
    const key = `${letter.meta.group} ${letter.original.event_type ?? '?'} x${letter.meta.attempts}: ${letter.meta.last_error.slice(0, 120)}`;
    summary[key] = (summary[key] ?? 0) + 1;
  }
  return summary;
}
