import { Router, type Request } from 'express';
import { z } from 'zod';
import { ValidationError, zodDetails } from '@pizza/shared';
import { CreateOrderRequest } from '@pizza/shared/contract';
import { changeOrderStatus } from '../application/change-order-status';
import type { OrdersContext } from '../application/context';
import { placeOrder } from '../application/place-order';
import { readOrder } from '../application/read-order';
import { IDEMPOTENCY_KEY_MAX } from '../domain/idempotency';
import { toOrderView } from '../domain/order-view';
import { IdempotencyKeyReusedError, NotCancellableError, OutOfStockError } from '../errors';
import { jsonBody } from './body';
import type { OrderLimits } from './limits';

const IdempotencyKey = z
  .string()
  .min(1)
  .max(IDEMPOTENCY_KEY_MAX)
  .regex(/^[\x21-\x7e]+$/, 'must be visible ASCII characters')
  .optional();

/**
 * The tracking token: `Authorization: Bearer <token>`, else `?token=` (links made before the header).
 * A missing or malformed token is simply a wrong one: the answer is the same 404.
 */
const tokenOf = (req: Request): string => {
  const bearer = /^Bearer (.+)$/.exec(req.get('Authorization') ?? '');
  if (bearer) return bearer[1]!;
  const token = (req.query as { token?: unknown }).token;
  return typeof token === 'string' ? token : '';
};

const idOf = (params: Record<string, unknown>): string => (typeof params.id === 'string' ? params.id : '');

/** Counts a refused order request by its reason, and passes the error on. */
function countRefusal(ctx: OrdersContext): (error: unknown) => never {
  return (error) => {
    if (error instanceof ValidationError) ctx.metrics.rejected.inc({ reason: 'validation' });
    if (error instanceof OutOfStockError) ctx.metrics.rejected.inc({ reason: 'out_of_stock' });
    if (error instanceof IdempotencyKeyReusedError) ctx.metrics.rejected.inc({ reason: 'idempotency_reuse' });
    throw error;
  };
}

export function ordersRoutes(ctx: OrdersContext, limits: OrderLimits): Router {
  const router = Router();

  router.post('/orders', limits.admission, limits.placement, ...jsonBody(), async (req, res) => {
    const key = IdempotencyKey.safeParse(req.get('Idempotency-Key'));
    if (!key.success) {
      ctx.metrics.rejected.inc({ reason: 'validation' });
      throw new ValidationError('Invalid Idempotency-Key header', [
        { path: 'Idempotency-Key', message: key.error.issues[0]?.message ?? 'invalid' },
      ]);
    }
    const body = CreateOrderRequest.safeParse(req.body);
    if (!body.success) {
      ctx.metrics.rejected.inc({ reason: 'validation' });
      throw new ValidationError('Invalid order', zodDetails(body.error));
    }
    const { order, replayed } = await placeOrder(ctx, body.data, key.data).catch(countRefusal(ctx));
    if (replayed) res.set('Idempotent-Replayed', 'true');
    res.status(201).location(`/api/v1/orders/${order.id}`).json(order);
  });

  router.get('/orders/:id', limits.tokenFailures, async (req, res) => {
    res.json(await readOrder(ctx, idOf(req.params), tokenOf(req)));
  });

  router.post('/orders/:id/cancel', limits.tokenFailures, async (req, res) => {
    const cancel = { type: 'CancelOrder' } as const;
    const outcome = await changeOrderStatus(ctx, idOf(req.params), cancel, { token: tokenOf(req) });
    if (outcome.kind === 'rejected') throw new NotCancellableError(outcome.order.status);
    res.json(toOrderView(outcome.order));
  });

  return router;
}
