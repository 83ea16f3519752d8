import { MenuResponse } from '@pizza/shared/contract';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cancelOrder, fetchOrder } from '../src/api/endpoints';
import {
  ApiError,
  isUnreachable,
  NetworkError,
  OutOfStockError,
  ResponseShapeError,
  ValidationFailedError,
} from '../src/api/errors';
import { requestJson } from '../src/api/http';
import { problemsFromError, problemsFromFields } from '../src/cart/checkoutProblems';
import { json, stubFetch } from './helpers';

afterEach(() => vi.unstubAllGlobals());

describe('requestJson', () => {
  it('turns an out_of_stock body into an OutOfStockError with its items', async () => {
    const items = [{ item_id: 'a', requested: 3, available: 1 }];
    stubFetch(() =>
      json(409, { error: { code: 'out_of_stock', message: 'Not enough', details: { items } } }),
    );
    const error = await requestJson('/api/v1/orders', MenuResponse).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OutOfStockError);
    expect((error as OutOfStockError).items).toEqual(items);
  });

  it('turns a validation_error body into a ValidationFailedError with its fields', async () => {
    stubFetch(() =>
      json(400, {
        error: {
          code: 'validation_error',
          message: 'Bad',
          details: [{ path: 'customer.name', message: 'Required' }],
        },
      }),
    );
    const error = await requestJson('/x', MenuResponse).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationFailedError);
    expect((error as ValidationFailedError).problems).toEqual([
      { path: 'customer.name', message: 'Required' },
    ]);
  });

  it('keeps the code of other errors, and calls a 5xx without a JSON body unreachable', async () => {
    stubFetch(() => new Response('<html>Bad Gateway</html>', { status: 502 }));
    const error = await requestJson('/x', MenuResponse).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('unavailable');
    expect(isUnreachable(error)).toBe(true);
  });

  it('reports a failed connection as a NetworkError', async () => {
    stubFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    const error = await requestJson('/x', MenuResponse).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetworkError);
    expect(isUnreachable(error)).toBe(true);
  });

  it('rejects a 2xx body that does not match the contract', async () => {
    stubFetch(() => json(200, { items: [{ id: 'a', price: 12.5 }] }));
    await expect(requestJson('/x', MenuResponse)).rejects.toBeInstanceOf(ResponseShapeError);
  });

  it('reads and cancels with the token in the Authorization header, never in the URL', async () => {
    const requests = stubFetch(() => json(200, {}));
    expect(await cancelOrder('o 1', 'a&b')).toBeNull();
    await fetchOrder('o 1', 'a&b').catch(() => undefined);
    expect(requests.map((r) => `${r.method} ${r.url.pathname}${r.url.search}`)).toEqual([
      'POST /api/v1/orders/o%201/cancel',
      'GET /api/v1/orders/o%201',
    ]);
    for (const request of requests) expect(request.headers.get('authorization')).toBe('Bearer a&b');
  });
});

describe('checkout problems', () => {
  const lines = [
    { item_id: 'margherita', quantity: 1 },
    { item_id: 'diavola', quantity: 2 },
  ];

  it('places field problems by path: customer fields, cart lines by index, the rest in general', () => {
    const problems = problemsFromFields(
      [
        { path: 'customer.name', message: 'name!' },
        { path: 'items.1.quantity', message: 'line!' },
        { path: '(body)', message: 'other!' },
      ],
      lines,
    );
    expect(problems).toEqual({ name: 'name!', lines: { diavola: 'line!' }, general: ['other!'] });
  });

  it('says plainly that the service is unreachable', () => {
    expect(problemsFromError(new NetworkError('down'), lines).general[0]).toMatch(/could not be reached/);
  });
});
