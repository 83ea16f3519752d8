import { Router } from 'express';
import type Redis from 'ioredis';
import {
  ConflictError,
  getDeadLetter,
  NotFoundError,
  purgeDeadLetters,
  replayDeadLetter,
  runDemoLoad,
  ValidationError,
  zodDetails,
  type Logger,
} from '@pizza/shared';
import { DemoLoadRequest, type DemoLoadStarted } from '@pizza/shared/contract';
import { requireAdmin } from './admin';
import { jsonBody } from './body';

const STREAM_ID = /^\d+(-\d+)?$/;

/**
 * The admin actions of the Dev tools and system pages, with the same functions as `npm run dlq` and
 * `npm run demo:load`: one dead letter in full, replay it, purge all (the page asks for confirmation),
 * and a bounded demo load sent through the public API of this very process.
 */
export function adminOpsRoutes(options: { redis: Redis; adminToken: string; logger: Logger }): Router {
  const router = Router();
  router.use('/admin', requireAdmin(options.adminToken));
  const letterId = (raw: string | string[] | undefined): string => {
    const id = String(raw ?? '');
    if (!STREAM_ID.test(id)) throw new NotFoundError(`No dead letter ${id}`);
    return id;
  };

  router.get('/admin/dead-letters/:id', async (req, res) => {
    const letter = await getDeadLetter(options.redis, letterId(req.params.id));
    if (!letter) throw new NotFoundError(`No dead letter ${req.params.id}`);
    res
      .set('Cache-Control', 'no-store')
      .json({ id: letter.id, meta: letter.meta, original: letter.original });
  });
  router.post('/admin/dead-letters/:id/replay', async (req, res) => {
    const replayed = await replayDeadLetter(options.redis, letterId(req.params.id));
    if (!replayed) throw new NotFoundError(`No dead letter ${req.params.id}`);
    res.json({ id: req.params.id, stream: replayed.stream, new_id: replayed.newId });
  });
  router.delete('/admin/dead-letters', async (_req, res) => {
    res.json({ purged: await purgeDeadLetters(options.redis) });
  });

  let loading: Promise<unknown> | undefined;
  router.post('/admin/demo-load', ...jsonBody(), (req, res) => {
    const body = DemoLoadRequest.safeParse(req.body);
    if (!body.success) throw new ValidationError('Invalid demo load', zodDetails(body.error));
    if (loading) throw new ConflictError('demo_load_running', 'A demo load is already running');
    // This process's own public API, as any client would use it.
    const baseUrl = `http://127.0.0.1:${req.socket.localPort}`;
    loading = runDemoLoad(baseUrl, body.data, { adminToken: options.adminToken })
      .then((result) => options.logger.info({ ...result }, 'demo load finished'))
      .catch((error: unknown) => options.logger.warn({ err: error }, 'demo load failed'))
      .finally(() => (loading = undefined));
    const started: DemoLoadStarted = body.data;
    res.status(202).json(started);
  });
  return router;
}
