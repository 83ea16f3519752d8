import { randomUUID } from 'node:crypto';
import { newEvent } from '@pizza/shared';
import { STREAMS } from '@pizza/shared/contract';
import { waitFor } from '@pizza/shared/testing';
import { call, type ErrorReply } from './support/http';
import { ADMIN_TOKEN, useStack } from './support/stack';

const stack = useStack();
const deadLetters = (authorization?: string) =>
  call<ErrorReply & { count: number; items: Record<string, unknown>[] }>(
    stack.url,
    'GET',
    '/api/v1/admin/dead-letters',
    {
      headers: authorization ? { authorization } : {},
    },
  );

describe('admin: dead letters', () => {
  test.each([
    ['no token', undefined],
    ['a wrong token', 'Bearer not-the-admin-token-at-all'],
    ['the token without Bearer', ADMIN_TOKEN],
    ['a prefix of the token', `Bearer ${ADMIN_TOKEN.slice(0, -1)}`],
  ])('with %s, the answer is 401 unauthorized', async (_name, header) => {
    const res = await deadLetters(header);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  test('with the admin token, dead letters are listed with their count', async () => {
    const orderId = `never-placed-${randomUUID()}`;
    const poison = newEvent(
      'order.status_simulated',
      { order_id: orderId, status: 'confirmed' },
      { source: 'test' },
    );
    const before = await stack.redis.xlen(STREAMS.deadLetters);
    await stack.bus.publish(poison);
    await waitFor(async () => (await stack.redis.xlen(STREAMS.deadLetters)) > before, {
      what: 'a dead letter',
    });

    const res = await deadLetters(`Bearer ${ADMIN_TOKEN}`);

    expect(res.status).toBe(200);
    expect(res.body.count).toBe(before + 1);
    expect(res.body.items[0]).toEqual({
      id: expect.any(String),
      original_stream: STREAMS.orderStatus,
      group: 'orders-group',
      event_type: 'order.status_simulated',
      attempts: 1,
      last_error: expect.stringContaining(orderId),
      failed_at: expect.any(String),
    });
  });
});

describe('docs, headers and metrics', () => {
  test('the OpenAPI document is served as JSON and describes the order endpoints', async () => {
    const res = await call<{
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { properties?: object }> };
    }>(stack.url, 'GET', '/api/docs/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/orders',
        '/api/v1/orders/{id}',
        '/api/v1/orders/{id}/cancel',
        '/api/v1/menu',
      ]),
    );
    expect(Object.keys(res.body.components.schemas.CreateOrderRequest!.properties!)).toEqual([
      'items',
      'customer',
    ]);
  });

  test('the docs page and its assets come from this service, not a CDN', async () => {
    const page = await call<string>(stack.url, 'GET', '/api/docs');
    expect(page.status).toBe(200);
    expect(page.body).toContain('/api/docs/assets/swagger-ui-bundle.js');
    expect(page.body).not.toMatch(/https?:\/\//);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    const asset = await fetch(`${stack.url}/api/docs/assets/swagger-ui-bundle.js`);
    expect(asset.status).toBe(200);
    await asset.arrayBuffer();
  });

  test('responses carry security headers', async () => {
    const res = await call(stack.url, 'GET', '/api/v1/menu');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  test('metrics include the order, outbox and bus metrics', async () => {
    const text = await (await fetch(`${stack.url}/metrics`)).text();
    for (const name of [
      'orders_created_total',
      'orders_rejected_total',
      'order_transitions_rejected_total',
      'outbox_oldest_unpublished_age_seconds',
      'bus_events_consumed_total',
      'http_request_duration_seconds',
    ]) {
      expect(text).toContain(`# TYPE ${name}`);
    }
  });

  test('readiness answers when MongoDB and Redis do', async () => {
    const res = await call<{ status: string }>(stack.url, 'GET', '/api/v1/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ready');
  });
});
