import express from 'express';
import { MongoServerSelectionError } from 'mongodb';
import { AppError, createLogger, finishApp, listen } from '../src';

const logged: string[] = [];
const logger = createLogger({ service: 'test', level: 'silent' });
logger.error = ((obj: unknown, msg?: string) => void logged.push(msg ?? String(obj))) as typeof logger.error;

function app() {
  const a = express();
  a.post('/body', express.json(), (_req, res) => void res.json({ ok: true }));
  a.get('/boom', () => {
    throw new AppError('mongo at 10.0.0.3 said no', { code: 'store_down', httpStatus: 503 });
  });
  a.get('/db-down', () => {
    throw new MongoServerSelectionError('Server selection timed out after 3000 ms', { error: null } as never);
  });
  a.get('/late', (_req, res, next) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('partial');
    next(new Error('after headers'));
  });
  finishApp(a, logger);
  return a;
}

describe('error mapper', () => {
  let base = '';
  let close: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    const server = await listen(app(), 0, '127.0.0.1');
    base = `http://127.0.0.1:${server.port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  test('an unsupported charset or content encoding is a 415 unsupported_media_type', async () => {
    const charset = await fetch(`${base}/body`, { method: 'POST', headers: { 'content-type': 'application/json; charset=latin-9' }, body: '{}' });
    expect(charset.status).toBe(415);
    expect(((await charset.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type');
    const encoding = await fetch(`${base}/body`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'compress' }, body: '{}' });
    expect(encoding.status).toBe(415);
    expect(((await encoding.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type');
  });

  test('an AppError of 5xx is logged and answered with a generic internal_error', async () => {
    const res = await fetch(`${base}/boom`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: { code: 'internal_error', message: 'Internal error' } });
    expect(logged).toContain('request failed');
  });

  test('an unavailable dependency is a 503 with Retry-After, saying nothing about the server', async () => {
    const res = await fetch(`${base}/db-down`);
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await res.json()).toEqual({ error: { code: 'not_ready', message: 'A dependency is unavailable; retry later' } });
  });

  test('an error after the headers went out is handed on rather than answered twice', async () => {
    await expect(fetch(`${base}/late`).then((r) => r.text())).rejects.toThrow();
  });
});
