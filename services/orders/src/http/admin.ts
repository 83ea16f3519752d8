import { Router, type Request, type RequestHandler } from 'express';
import type Redis from 'ioredis';
import { z } from 'zod';
import { countDeadLetters, listDeadLetters, secretEquals, ValidationError, zodDetails } from '@pizza/shared';
import type { DeadLettersResponse } from '@pizza/shared/contract';
import { UnauthorizedError } from '../errors';

const Query = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

/** Whether the request carries `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. */
export function isAdminRequest(req: Request, adminToken: string): boolean {
  const match = /^Bearer (.+)$/.exec(req.get('Authorization') ?? '');
  return match !== null && secretEquals(match[1]!, adminToken);
}

/** Admin only: anything else is 401. */
export function requireAdmin(adminToken: string): RequestHandler {
  return (req, _res, next) => {
    if (!isAdminRequest(req, adminToken)) throw new UnauthorizedError();
    next();
  };
}

export function adminRoutes(options: { redis: Redis; adminToken: string; failures: RequestHandler }): Router {
  const router = Router();
  router.use('/admin', options.failures, requireAdmin(options.adminToken));
  router.get('/admin/dead-letters', async (req, res) => {
    const query = Query.safeParse(req.query);
    if (!query.success) throw new ValidationError('Invalid query', zodDetails(query.error));
    const [count, letters] = await Promise.all([
      countDeadLetters(options.redis),
      listDeadLetters(options.redis, query.data.limit),
    ]);
    const body: DeadLettersResponse = {
      count,
      items: letters.map(({ id, meta, original }) => ({
        id,
        original_stream: meta.original_stream,
        group: meta.group,
        event_type: original.event_type ?? '',
        attempts: Number(meta.attempts) || 0,
        last_error: meta.last_error,
        failed_at: meta.failed_at,
      })),
    };
    res.set('Cache-Control', 'no-store').json(body);
  });
  return router;
}
