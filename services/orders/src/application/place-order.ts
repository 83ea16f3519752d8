import { randomUUID } from 'node:crypto';
import { inTransaction, isDuplicateKey, ValidationError } from '@pizza/shared';
import { isRejection, type CreatedOrder, type CreateOrderRequest } from '@pizza/shared/contract';
import { requestHash } from '../domain/idempotency';
import { decide, evolveAll, initialState } from '../domain/order';
import { toOrderView } from '../domain/order-view';
import { mergeLines, priceLines, unknownItems, type MergedLine } from '../domain/pricing';
import { hashToken, newTrackingToken } from '../domain/tokens';
import { insertRecord } from '../store/idempotency';
import { readItems, StockChangedError, takeStock } from '../store/menu';
import { saveOrder } from '../store/orders';
import type { OrdersContext } from './context';
import { envelopesOf } from './envelopes';
import { idempotencyRecord, replayOrder, type KeyedRequest } from './replay-order';

export interface PlaceOrderResult {
  order: CreatedOrder;
  /** True when an earlier request with the same Idempotency-Key made this order. */
  replayed: boolean;
}

interface OrderRequest {
  body: CreateOrderRequest;
  lines: MergedLine[];
  keyed?: KeyedRequest;
}

/** How many times an order is tried afresh after its transaction gave way to another request. */
const MAX_ATTEMPTS = 3;

/**
 * Places an order. A transaction can give way: the key's earlier request committed first (its order is the
 * answer, unless the record had expired and is gone), or the stock changed between the read and the
 * guarded decrement. Either way the order is tried afresh, a few times at most.
 */
export async function placeOrder(
  ctx: OrdersContext,
  body: CreateOrderRequest,
  idempotencyKey?: string,
): Promise<PlaceOrderResult> {
  const request = orderRequest(body, idempotencyKey);
  for (let attempt = 1; ; attempt++) {
    try {
      return await placeOnce(ctx, request);
    } catch (error) {
      const keyTaken = request.keyed !== undefined && isDuplicateKey(error);
      const earlier = keyTaken && request.keyed ? await replayOrder(ctx, request.keyed) : undefined;
      if (earlier) return { order: earlier, replayed: true };
      if (attempt === MAX_ATTEMPTS || !(keyTaken || error instanceof StockChangedError)) throw error;
    }
  }
}

/**
 * One transaction: one read of the lines' items (unknown ids, stock, prices), the idempotency record,
 * the guarded stock decrements, the order, and its events in the outbox; the outbox is woken after it.
 */
async function placeOnce(ctx: OrdersContext, request: OrderRequest): Promise<PlaceOrderResult> {
  const [now, orderId, token] = [ctx.clock(), randomUUID(), newTrackingToken()];
  const order = await inTransaction(ctx.mongo.client, async (session) => {
    const items = await readItems(ctx.c, session, request.lines);
    const unknown = unknownItems(request.lines, new Set(items.keys()));
    if (unknown.length > 0) throw new ValidationError('Invalid order', unknown);
    // Before any stock check, so that a replay (a duplicate key) is answered even when stock ran out.
    if (request.keyed)
      await insertRecord(ctx.c, session, idempotencyRecord(request.keyed, { id: orderId, token, now }));
    const { lines, total } = priceLines(request.lines, await takeStock(ctx.c, session, request.lines, items));
    const placed = {
      _id: orderId,
      items: lines,
      total,
      customer: request.body.customer,
      token_hash: hashToken(token),
    };
    const events = decide({ type: 'PlaceOrder', now, order: placed }, initialState());
    const created = isRejection(events) ? null : evolveAll(initialState(), events);
    if (isRejection(events) || !created) throw new Error(`order ${orderId} cannot be placed twice`);
    await saveOrder(ctx.c, session, null, created);
    await ctx.outbox.add(session, envelopesOf(events, { source: ctx.source, now, orderId }));
    return created;
  });
  ctx.afterCommit?.();
  ctx.outbox.wake();
  ctx.metrics.created.inc();
  return { order: { ...toOrderView(order), tracking_token: token }, replayed: false };
}

/** The request with its lines merged (a merged line over the bound is a ValidationError). */
function orderRequest(body: CreateOrderRequest, key?: string): OrderRequest {
  const merged = mergeLines(body.items);
  if (!merged.ok) throw new ValidationError('Invalid order', merged.issues);
  return {
    body,
    lines: merged.lines,
    keyed: key === undefined ? undefined : { key, hash: requestHash(body) },
  };
}
