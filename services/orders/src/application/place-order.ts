import { randomUUID } from 'node:crypto';
import {
  hashTrackingToken,
  inTransaction,
  isDuplicateKey,
  newTrackingToken,
  ValidationError,
} from '@pizza/shared';
import { isRejection, type CreatedOrder, type CreateOrderRequest } from '@pizza/shared/contract';
import { requestHash } from '../domain/idempotency';
import { decide, evolveAll, initialState, type Order } from '../domain/order';
import { toOrderView } from '../domain/order-view';
import { mergeLines, priceLines, shortLines, unknownItems, type MergedLine } from '../domain/pricing';
import { insertRecord } from '../store/idempotency';
import { OutOfStockError } from '../errors';
import { readItems, takeStock } from '../store/menu';
import { saveOrder } from '../store/orders';
import type { OrdersContext } from './context';
import { envelopesOf } from './envelopes';
import { stockChanged } from './stock-events';
import { StockTurns } from './stock-turns';
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

/** Thrown when a guarded decrement did not match although a read says there is stock: try again. */
class StockChangedError extends Error {
  constructor() {
    super('stock changed between the decrement and the read');
  }
}

/** How many times an order is tried afresh after its transaction gave way to another request. */
const MAX_ATTEMPTS = 5;

/** Full jitter: buyers that collided on the same stock documents spread out instead of colliding again. */
const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(5 * 2 ** attempt, 200)));

/**
 * Places an order. A transaction can give way: a concurrent buyer wrote the same stock first (a write
 * conflict: `inTransaction` runs it again after a jittered pause), the key's earlier request committed first
 * (its order is the answer, unless the record had expired and is gone), or a guard refused stock that a
 * later read shows. The last two are tried afresh, a few times at most. Every extra run is counted.
 */
export async function placeOrder(
  ctx: OrdersContext,
  body: CreateOrderRequest,
  idempotencyKey?: string,
): Promise<PlaceOrderResult> {
  const request = orderRequest(body, idempotencyKey);
  let runs = 0;
  const onRun = () => {
    if (runs++ > 0) ctx.metrics.placeRetries.inc();
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await placeOnce(ctx, request, onRun);
    } catch (error) {
      const keyTaken = request.keyed !== undefined && isDuplicateKey(error);
      const earlier = keyTaken && request.keyed ? await replayOrder(ctx, request.keyed) : undefined;
      if (earlier) return { order: earlier, replayed: true };
      if (attempt === MAX_ATTEMPTS || !(keyTaken || error instanceof StockChangedError)) throw error;
      await backoff(attempt);
    }
  }
}

const turns = new StockTurns();

/** The guarded decrement refused a line: the transaction aborts, and `refused` says why. */
class StockRefused extends Error {}

/**
 * One transaction. The guarded stock decrement is its first write: the stock documents are where buyers
 * collide, so they are held from there to the commit only. Then the idempotency record, one read of the
 * items' names and prices, the order, and its events in the outbox; the outbox is woken after the commit.
 */
async function placeOnce(
  ctx: OrdersContext,
  request: OrderRequest,
  onRun: () => void,
): Promise<PlaceOrderResult> {
  const [now, orderId, token] = [ctx.clock(), randomUUID(), newTrackingToken()];
  let order: Order;
  let runs = 0;
  try {
    order = await turns.run(
      request.lines.map((l) => l.item_id),
      () =>
        inTransaction(ctx.mongo.client, async (session) => {
          onRun();
          // Run again after a write conflict: most likely another buyer took the stock, so look before writing
          // (a refused guard is not a write, so a crowd of losers stops conflicting once the stock is gone).
          if (
            runs++ > 0 &&
            shortLines(request.lines, await readItems(ctx.c, request.lines, session)).length > 0
          )
            throw new StockRefused();
          if (!(await takeStock(ctx.c, session, request.lines))) throw new StockRefused();
          if (request.keyed)
            await insertRecord(ctx.c, session, idempotencyRecord(request.keyed, { id: orderId, token, now }));
          const items = await readItems(ctx.c, request.lines, session);
          const { lines, total } = priceLines(request.lines, items);
          const placed = {
            _id: orderId,
            items: lines,
            total,
            customer: request.body.customer,
            token_hash: hashTrackingToken(token),
          };
          const events = decide({ type: 'PlaceOrder', now, order: placed }, initialState());
          const created = isRejection(events) ? null : evolveAll(initialState(), events);
          if (isRejection(events) || !created) throw new Error(`order ${orderId} cannot be placed twice`);
          await saveOrder(ctx.c, session, null, created);
          await ctx.outbox.add(session, [
            ...envelopesOf(events, { source: ctx.source, now, orderId }),
            ...stockChanged([...items.values()], { source: ctx.source, now, correlationId: orderId }),
          ]);
          return created;
        }),
    );
  } catch (error) {
    if (error instanceof StockRefused) return refused(ctx, request);
    throw error;
  }
  ctx.afterCommit?.();
  ctx.outbox.wake();
  ctx.metrics.created.inc();
  return { order: { ...toOrderView(order), tracking_token: token }, replayed: false };
}

/**
 * Why the decrement refused, read after the abort: an unknown item (400), the key's earlier order (a replay,
 * answered even when stock ran out since), short lines (409, every one named), or none of these any more
 * (the stock changed meanwhile: StockChangedError, tried afresh).
 */
async function refused(ctx: OrdersContext, request: OrderRequest): Promise<PlaceOrderResult> {
  const items = await readItems(ctx.c, request.lines);
  const unknown = unknownItems(request.lines, new Set(items.keys()));
  if (unknown.length > 0) throw new ValidationError('Invalid order', unknown);
  const earlier = request.keyed ? await replayOrder(ctx, request.keyed) : undefined;
  if (earlier) return { order: earlier, replayed: true };
  const short = shortLines(request.lines, items);
  if (short.length > 0) throw new OutOfStockError(short);
  throw new StockChangedError();
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
