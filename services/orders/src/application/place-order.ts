import { randomUUID } from 'node:crypto';
import type { ClientSession } from 'mongodb';
import {
  hashTrackingToken,
  inTransaction,
  isDuplicateKey,
  newTrackingToken,
  ValidationError,
} from '@pizza/shared';
import { isRejection, type CreatedOrder, type CreateOrderRequest } from '@pizza/shared/contract';
import {
  idempotencyRecord,
  isExpired,
  keyId,
  openToken,
  requestHash,
  type KeyedRequest,
} from '../domain/idempotency';
import { decide, evolveAll, initialState, type Order } from '../domain/order';
import { toOrderView } from '../domain/order-view';
import { mergeLines, priceLines, shortLines, unknownItems, type MergedLine } from '../domain/pricing';
import { IdempotencyKeyReusedError, OutOfStockError } from '../errors';
import { readItems, takeStock } from '../store/menu';
import { deleteRecord, findOrder, findRecord, insertRecord, saveOrder } from '../store/orders';
import type { OrdersContext } from './context';
import { envelopesOf, stockChanged } from './events';
import { StockTurns } from './stock-turns';

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

/** What one attempt places: a new order id and tracking token, at one moment. */
interface Placing {
  id: string;
  token: string;
  now: Date;
}

/** How many times an order is tried afresh after its transaction gave way to another request. */
const MAX_ATTEMPTS = 5;

/** Full jitter: buyers that collided on the same stock documents spread out instead of colliding again. */
const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(5 * 2 ** attempt, 200)));

/**
 * Places an order, or answers with the order an earlier request with the same Idempotency-Key made. An
 * attempt gives way when the key's earlier request committed first (its order is the answer, unless its
 * record expired since) or when the stock changed between the refused decrement and the read that explains
 * it; both are tried afresh, a few times at most.
 */
export async function placeOrder(
  ctx: OrdersContext,
  body: CreateOrderRequest,
  idempotencyKey?: string,
): Promise<PlaceOrderResult> {
  const request = orderRequest(body, idempotencyKey);
  const countRun = retryCounter(ctx);
  for (let attempt = 1; ; attempt++) {
    try {
      return await placeOnce(ctx, request, countRun);
    } catch (error) {
      const keyTaken = request.keyed !== undefined && isDuplicateKey(error);
      const earlier = keyTaken ? await replayed(ctx, request) : undefined;
      if (earlier) return earlier;
      if (attempt === MAX_ATTEMPTS || !(keyTaken || error instanceof StockChangedError)) throw error;
      await backoff(attempt);
    }
  }
}

const turns = new StockTurns();

/**
 * One attempt: the order's transaction, run again by `inTransaction` after a write conflict (a concurrent
 * buyer wrote the same stock first). A refused decrement aborts it, and `refused` says why.
 */
async function placeOnce(
  ctx: OrdersContext,
  request: OrderRequest,
  countRun: () => void,
): Promise<PlaceOrderResult> {
  const placing: Placing = { id: randomUUID(), token: newTrackingToken(), now: ctx.clock() };
  let runsOfThisAttempt = 0;
  let order: Order;
  try {
    order = await turns.run(
      request.lines.map((l) => l.item_id),
      () =>
        inTransaction(ctx.mongo.client, (session) => {
          countRun();
          return placeInTransaction(ctx, session, request, placing, runsOfThisAttempt++ > 0);
        }),
    );
  } catch (error) {
    if (error instanceof StockRefused) return refused(ctx, request);
    throw error;
  }
  ctx.afterCommit?.();
  ctx.outbox.wake();
  ctx.metrics.created.inc();
  return { order: { ...toOrderView(order), tracking_token: placing.token }, replayed: false };
}

/** The guarded decrement refused a line: the transaction aborts, and `refused` says why. */
class StockRefused extends Error {}

/** Thrown when a guarded decrement did not match although a read says there is stock: try again. */
class StockChangedError extends Error {
  constructor() {
    super('stock changed between the decrement and the read');
  }
}

/**
 * The order's transaction. The guarded stock decrement is its first write: the stock documents are where
 * buyers collide, so they are held from there to the commit only. Then the idempotency record, one read of
 * the items' names and prices, the order, and its events in the outbox (woken after the commit).
 * A run after a write conflict looks before writing: most likely another buyer took the stock, and a
 * refused guard is not a write, so a crowd of losers stops conflicting once the stock is gone.
 */
async function placeInTransaction(
  ctx: OrdersContext,
  session: ClientSession,
  request: OrderRequest,
  placing: Placing,
  rerun: boolean,
): Promise<Order> {
  if (rerun && shortLines(request.lines, await readItems(ctx.c, request.lines, session)).length > 0)
    throw new StockRefused();
  if (!(await takeStock(ctx.c, session, request.lines))) throw new StockRefused();
  if (request.keyed) await insertRecord(ctx.c, session, idempotencyRecord(request.keyed, placing));
  const items = await readItems(ctx.c, request.lines, session);
  const { lines, total } = priceLines(request.lines, items);
  const { id, token, now } = placing;
  const order = { _id: id, items: lines, total, customer: request.body.customer };
  const events = decide(
    { type: 'PlaceOrder', now, order: { ...order, token_hash: hashTrackingToken(token) } },
    initialState(),
  );
  const created = isRejection(events) ? null : evolveAll(initialState(), events);
  if (isRejection(events) || !created) throw new Error(`order ${id} cannot be placed twice`);
  await saveOrder(ctx.c, session, null, created);
  await ctx.outbox.add(session, [
    ...envelopesOf(events, { source: ctx.source, now, orderId: id }),
    ...stockChanged([...items.values()], { source: ctx.source, now, correlationId: id }),
  ]);
  return created;
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
  const earlier = await replayed(ctx, request);
  if (earlier) return earlier;
  const short = shortLines(request.lines, items);
  if (short.length > 0) throw new OutOfStockError(short);
  throw new StockChangedError();
}

/**
 * The idempotent replay of placing: the order an earlier request with this key made, with its token;
 * undefined if there is none (any more). The same key with another body is refused.
 */
async function replayed(ctx: OrdersContext, request: OrderRequest): Promise<PlaceOrderResult | undefined> {
  const { keyed } = request;
  const record = keyed && (await findRecord(ctx.c, keyId(keyed.key)));
  if (!keyed || !record) return undefined;
  if (isExpired(record.created_at, ctx.clock())) {
    await deleteRecord(ctx.c, record);
    return undefined;
  }
  if (record.request_hash !== keyed.hash) throw new IdempotencyKeyReusedError();
  const order = await findOrder(ctx.c, record.order_id);
  const token = openToken(keyed.key, record.order_id, record.sealed_token);
  if (!order || !token) throw new Error(`idempotency record for order ${record.order_id} cannot be replayed`);
  return { order: { ...toOrderView(order), tracking_token: token }, replayed: true };
}

/** Counts, across attempts, every run of the order's transaction after the first, whichever layer ran it. */
function retryCounter(ctx: OrdersContext): () => void {
  let runs = 0;
  return () => {
    if (runs++ > 0) ctx.metrics.placeRetries.inc();
  };
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
