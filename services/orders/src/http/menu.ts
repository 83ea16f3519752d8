import { Router } from 'express';
import type { MenuResponse } from '@pizza/shared/contract';
import type { OrdersContext } from '../application/context';
import { listMenu } from '../store/menu';

export function menuRoutes(ctx: OrdersContext): Router {
  const router = Router();
  router.get('/menu', async (_req, res) => {
    const body: MenuResponse = { items: await listMenu(ctx.c) };
    res.set('Cache-Control', 'no-store').json(body);
  });
  return router;
}
