import { z } from 'zod';
import {
  CreatedOrder,
  CreateOrderRequest,
  DeadLettersResponse,
  ErrorBody,
  MenuResponse,
  OrderView,
  OutOfStockDetails,
  ValidationDetails,
} from '@pizza/shared/contract';

/** The OpenAPI 3.1 document, generated from the very zod schemas the routes validate with. */

type JsonSchema = Record<string, unknown>;

function schema(type: z.ZodType, io: 'input' | 'output' = 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(type, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ content: { 'application/json': { schema: ref(name) } } });
const error = (description: string) => ({ description, ...json('ErrorBody') });

const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
/** Old links only: a token in the URL ends up in logs and browser history, so clients send the header. */
const tokenParam = {
  name: 'token',
  in: 'query',
  required: false,
  deprecated: true,
  description:
    'The tracking token, for links made before the Authorization header; `Authorization: Bearer <token>` wins',
  schema: { type: 'string' },
};
const rateLimited = (what: string) => ({
  description: `\`rate_limited\`: too many ${what} from this client; wait for Retry-After`,
  headers: { 'Retry-After': { description: 'Seconds until the window resets', schema: { type: 'integer' } } },
  ...json('ErrorBody'),
});

export function openApiDocument(): JsonSchema {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Pizza orders API',
      version: '1.0.0',
      description:
        'Menu, orders, tracking and cancellation. Money is integer cents. Every error is `{"error": {"code", "message", "details"}}`. Live tracking: WebSocket `/ws/v1/order-tracking/{id}`, offering the subprotocols `pizza-tracking.v1` and `token.<tracking_token>`.',
    },
    paths: {
      '/api/v1/menu': {
        get: {
          tags: ['menu'],
          summary: 'The menu: pizzas, then drinks, by name',
          responses: { 200: { description: 'The menu', ...json('MenuResponse') } },
        },
      },
      '/api/v1/orders': {
        post: {
          tags: ['orders'],
          summary: 'Place an order (stock is taken atomically; all lines or none)',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description:
                'Same key and body within 24 h: the same order and token, stock taken once. Same key, other body: 422.',
              schema: { type: 'string', minLength: 1, maxLength: 255 },
            },
          ],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: ref('CreateOrderRequest') } },
          },
          responses: {
            201: { description: 'The order, with its tracking token', ...json('CreatedOrder') },
            400: error('`validation_error`: details is ValidationDetails'),
            409: error('`out_of_stock`: details is OutOfStockDetails; nothing was taken'),
            413: error('`payload_too_large`: the body is over HTTP_MAX_BODY_BYTES (16 kB by default)'),
            415: error('`unsupported_media_type`: the body is not JSON'),
            422: error('`idempotency_key_reused`: the key came with another body'),
            429: rateLimited('orders (RATE_LIMIT_ORDERS per RATE_LIMIT_WINDOW_MS)'),
            503: {
              description:
                '`overloaded`: past ORDERS_MAX_IN_FLIGHT or ORDERS_MAX_BACKLOG; nothing was read or written, retry after Retry-After',
              headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } },
              ...json('ErrorBody'),
            },
          },
        },
      },
      '/api/v1/orders/{id}': {
        get: {
          tags: ['orders'],
          summary: 'An order with its timeline and delivery',
          security: [{ trackingToken: [] }],
          parameters: [idParam, tokenParam],
          responses: {
            200: { description: 'The order', ...json('OrderView') },
            404: error('`not_found`: wrong id or wrong token'),
            429: rateLimited('wrong tokens (RATE_LIMIT_TOKEN_FAILURES)'),
          },
        },
      },
      '/api/v1/orders/{id}/cancel': {
        post: {
          tags: ['orders'],
          summary: 'Cancel while created or confirmed; stock is given back',
          security: [{ trackingToken: [] }],
          parameters: [idParam, tokenParam],
          responses: {
            200: { description: 'The cancelled order', ...json('OrderView') },
            404: error('`not_found`: wrong id or wrong token'),
            409: error('`not_cancellable`: the order is past confirmed'),
            429: rateLimited('wrong tokens (RATE_LIMIT_TOKEN_FAILURES)'),
          },
        },
      },
      '/api/v1/admin/dead-letters': {
        get: {
          tags: ['admin'],
          summary: 'Dead letters, newest first',
          security: [{ adminToken: [] }],
          parameters: [
            {
              name: 'limit',
              in: 'query',
              required: false,
              schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            },
          ],
          responses: {
            200: { description: 'Count and entries', ...json('DeadLettersResponse') },
            401: error('`unauthorized`'),
            429: rateLimited('wrong admin tokens (RATE_LIMIT_ADMIN_FAILURES)'),
          },
        },
      },
      '/api/v1/health/live': {
        get: { tags: ['health'], summary: 'Liveness', responses: { 200: { description: 'Alive' } } },
      },
      '/api/v1/health': {
        get: {
          tags: ['health'],
          summary: 'Readiness (MongoDB and Redis)',
          responses: { 200: { description: 'Ready' }, 503: error('`not_ready`: names what is down') },
        },
      },
    },
    components: {
      securitySchemes: {
        adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' },
        trackingToken: {
          type: 'http',
          scheme: 'bearer',
          description: "The order's tracking_token, returned when it was placed",
        },
      },
      schemas: {
        CreateOrderRequest: schema(CreateOrderRequest, 'input'),
        CreatedOrder: schema(CreatedOrder),
        OrderView: schema(OrderView),
        MenuResponse: schema(MenuResponse),
        DeadLettersResponse: schema(DeadLettersResponse),
        ErrorBody: schema(ErrorBody),
        ValidationDetails: schema(ValidationDetails),
        OutOfStockDetails: schema(OutOfStockDetails),
      },
    },
  };
}
