import { randomUUID } from 'node:crypto';
import { inTransaction, isDuplicateKey, newEvent, ValidationError } from '@pizza/shared';
import type { CreatedOrder, CreateOrderRequest } from '@pizza/shared/contract';
import { orderCreated, orderSimulate } from '../domain/events';
import { isExpired, keyId, openToken, requestHash, sealToken } from '../domain/idempotency';
import { newOrder, toOrderView } from '../domain/order';
import { mergeLines, priceLines, unknownItems } from '../domain/pricing';
import { hashToken, newTrackingToken } from '../domain/tokens';
import { IdempotencyKeyReusedError, OutOfStockError } from '../errors';
import type { OrdersContext } from './context';
import { deleteRecord, findRecord, insertRecord } from './idempotency';
import { readItems, StockChangedError, takeStock } from './menu';
import { findOrder, insertOrder } from './orders';

export interface PlaceOrderResult {
  order: CreatedOrder;
  /** True when an earlier request with the same Idempotency-Key made this order. */
  replayed: boolean;
}

/**
 * Places an order in one transaction: one read of the lines' items (unknown ids, stock, prices), the
 * idempotency record (if a key was sent; a duplicate means a replay), one bulk of guarded stock
 * decrements, the order, and its events in the outbox. The outbox is woken after the commit.
 */
export async function placeOrder(
  ctx: OrdersContext,
  body: CreateOrderRequest,
  idempotencyKey?: string,
): Promise<PlaceOrderResult> {
  try {
    return await place(ctx, body, idempotencyKey);
  } catch (error) {
    if (error instanceof ValidationError) ctx.metrics.rejected.inc({ reason: 'validation' });
    if (error instanceof OutOfStockError) ctx.metrics.rejected.inc({ reason: 'out_of_stock' });
    if (error instanceof IdempotencyKeyReusedError) ctx.metrics.rejected.inc({ reason: 'idempotency_reuse' });
    throw error;
  }
}

/**
 * How many times an order is tried afresh after its transaction gave way: the key's record had
 * expired (and has been removed), or stock changed between the read and the guarded decrement.
 */
const MAX_ATTEMPTS = 3;

async function place(
  ctx: OrdersContext,
  body: CreateOrderRequest,
  idempotencyKey?: string,
): Promise<PlaceOrderResult> {
  const merged = mergeLines(body.items);
  if (!merged.ok) throw new ValidationError('Invalid order', merged.issues);
  const hash = requestHash(body);

  for (let attempt = 1; ; attempt++) {
    const now = ctx.clock();
    const orderId = randomUUID();
    const token = newTrackingToken();
    let order;
    try {
      order = await inTransaction(ctx.mongo.client, async (session) => {
        const items = await readItems(ctx.c, session, merged.lines);
        const unknown = unknownItems(merged.lines, new Set(items.keys()));
        if (unknown.length > 0) throw new ValidationError('Invalid order', unknown);
        if (idempotencyKey) {
          // Before any stock check, so that a replay (a duplicate key) is answered even when stock ran out.
          const record = { _id: keyId(idempotencyKey), request_hash: hash, order_id: orderId, created_at: now };
          await insertRecord(ctx.c, session, {
            ...record,
            sealed_token: sealToken(idempotencyKey, orderId, token),
          });
        }
        const prices = await takeStock(ctx.c, session, merged.lines, items);
        const { lines, total } = priceLines(merged.lines, prices);
        const created = newOrder({
          id: orderId,
          items: lines,
          total,
          customer: body.customer,
          tokenHash: hashToken(token),
          now,
        });
        await insertOrder(ctx.c, session, created);
        const origin = { source: ctx.source, correlationId: orderId, now };
        await ctx.outbox.add(session, [
          newEvent('order.created', orderCreated(created), origin),
          newEvent('order.simulate', orderSimulate(orderId, 'confirmed'), origin),
        ]);
        return created;
      });
    } catch (error) {
      // A request with this key committed before: answer as it did (or 422 if the body differs).
      if (idempotencyKey && isDuplicateKey(error)) {
        const earlier = await replay(ctx, idempotencyKey, hash);
        if (earlier) return { order: earlier, replayed: true };
        if (attempt < MAX_ATTEMPTS) continue; // the record had expired and is gone: a new order
      }
      if (error instanceof StockChangedError && attempt < MAX_ATTEMPTS) continue;
      throw error;
    }
    ctx.afterCommit?.();
    ctx.outbox.wake();
    ctx.metrics.created.inc();
    return { order: { ...toOrderView(order), tracking_token: token }, replayed: false };
  }
}

/** The order an earlier request with this key made, with its token; undefined if there is none (any more). */
async function replay(
  ctx: OrdersContext,
  idempotencyKey: string,
  hash: string,
): Promise<CreatedOrder | undefined> {
  const record = await findRecord(ctx.c, keyId(idempotencyKey));
  if (!record) return undefined;
  if (isExpired(record.created_at, ctx.clock())) {
    await deleteRecord(ctx.c, record);
    return undefined;
  }
  if (record.request_hash !== hash) throw new IdempotencyKeyReusedError();
  const order = await findOrder(ctx.c, record.order_id);
  const token = openToken(idempotencyKey, record.order_id, record.sealed_token);
  if (!order || !token) throw new Error(`idempotency record for order ${record.order_id} cannot be replayed`);
  return { ...toOrderView(order), tracking_token: token };
}
