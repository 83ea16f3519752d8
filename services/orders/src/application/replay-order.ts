import type { CreatedOrder } from '@pizza/shared/contract';
import { isExpired, keyId, openToken, sealToken } from '../domain/idempotency';
import { toOrderView } from '../domain/order-view';
import { IdempotencyKeyReusedError } from '../errors';
import type { IdempotencyRecord } from '../store/collections';
import { deleteRecord, findRecord } from '../store/idempotency';
import { findOrder } from '../store/orders';
import type { OrdersContext } from './context';

/** An order request with an Idempotency-Key: the key, and the hash of the body it came with. */
export interface KeyedRequest {
  key: string;
  hash: string;
}

/** What a request with this key leaves behind: hashes only, and the tracking token sealed under the key. */
export function idempotencyRecord(
  request: KeyedRequest,
  order: { id: string; token: string; now: Date },
): IdempotencyRecord {
  return {
    _id: keyId(request.key),
    request_hash: request.hash,
    order_id: order.id,
    sealed_token: sealToken(request.key, order.id, order.token),
    created_at: order.now,
  };
}

/** The order an earlier request with this key made, with its token; undefined if there is none (any more). */
export async function replayOrder(
  ctx: OrdersContext,
  request: KeyedRequest,
): Promise<CreatedOrder | undefined> {
  const record = await findRecord(ctx.c, keyId(request.key));
  if (!record) return undefined;
  if (isExpired(record.created_at, ctx.clock())) {
    await deleteRecord(ctx.c, record);
    return undefined;
  }
  if (record.request_hash !== request.hash) throw new IdempotencyKeyReusedError();
  const order = await findOrder(ctx.c, record.order_id);
  const token = openToken(request.key, record.order_id, record.sealed_token);
  if (!order || !token) throw new Error(`idempotency record for order ${record.order_id} cannot be replayed`);
  return { ...toOrderView(order), tracking_token: token };
}
