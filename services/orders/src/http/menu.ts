import { Router } from 'express';
import type { MenuResponse } from '@pizza/shared/contract';
import type { OrdersContext } from '../application/context';
import { toMenu } from '../domain/pricing';
import { loadMenu } from '../store/menu';

export function menuRoutes(ctx: OrdersContext): Router {
  const router = Router();
  router.get('/menu', async (_req, res) => {
    const body: MenuResponse = { items: toMenu(await loadMenu(ctx.c)) };
    res.set('Cache-Control', 'no-store').json(body);
  });
  return router;
}
