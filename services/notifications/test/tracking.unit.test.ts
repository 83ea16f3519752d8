import { createHash } from 'node:crypto';
import { loadConfig, newEvent, StatusMessage, trackingTokenMatches } from '@pizza/shared';
import { NotificationsEnv } from '../src/config';
import {
  deliveryStatusUpdate,
  orderCreatedUpdate,
  orderStatusUpdate,
  toStatusMessage,
} from '../src/domain/tracking';
import { parseTrackingUrl } from '../src/domain/tracking-url';

const at = '2030-01-01T10:00:00.000Z';
const source = { source: 'test' };
const hash = (token: string) => createHash('sha256').update(token).digest('hex');

describe('tracking updates', () => {
  test('order.created makes the order known: created, no delivery, with its token hash', () => {
    const event = newEvent(
      'order.created',
      {
        order_id: 'o1',
        status: 'created',
        items: [{ item_id: 'margherita', name: 'Margherita', quantity: 1, unit_price: 900 }],
        total: 900,
        customer: { name: 'Ada', address: '1 Main St' },
        token_hash: hash('secret'),
        created_at: at,
      },
      source,
    );
    expect(orderCreatedUpdate(event)).toEqual({
      orderId: 'o1',
      eventId: event.event_id,
      rank: 10,
      requires: 0,
      fields: {
        status: 'created',
        delivery_status: '',
        token_hash: hash('secret'),
        at,
        event_id: event.event_id,
        ts: event.timestamp,
      },
    });
  });

  test('each step requires the one before it, in the order a client sees them', () => {
    const status = (
      from: 'created' | 'confirmed' | 'preparing' | 'out_for_delivery',
      to: 'confirmed' | 'preparing' | 'out_for_delivery' | 'delivered',
    ) =>
      orderStatusUpdate(newEvent('order.status_changed', { order_id: 'o1', from, status: to, at }, source));
    const delivery = (from: 'waiting' | 'on_the_way', to: 'on_the_way' | 'delivered') =>
      deliveryStatusUpdate(
        newEvent(
          'delivery.status_changed',
          { delivery_id: 'd1', order_id: 'o1', from, status: to, at },
          source,
        ),
      );
    const created = deliveryStatusUpdate(
      newEvent(
        'delivery.created',
        { delivery_id: 'd1', order_id: 'o1', status: 'waiting', address: 'x', at },
        source,
      ),
    );
    const chain = [
      status('created', 'confirmed'),
      status('confirmed', 'preparing'),
      status('preparing', 'out_for_delivery'),
      created,
      delivery('waiting', 'on_the_way'),
      delivery('on_the_way', 'delivered'),
      status('out_for_delivery', 'delivered'),
    ];
    // The ranks are kept in the cache: their values are part of what a deploy must keep.
    expect(chain.map(({ rank, requires }) => [requires, rank])).toEqual([
      [10, 20],
      [20, 30],
      [30, 40],
      [40, 50],
      [50, 60],
      [60, 70],
      [70, 80],
    ]);
    expect(created.fields).toMatchObject({ delivery_status: 'waiting' });
    expect(chain.at(-1)!.fields).toMatchObject({ status: 'delivered' });
  });

  test('a cancellation needs only the order to be known and outranks every other state', () => {
    const update = orderStatusUpdate(
      newEvent(
        'order.cancelled',
        { order_id: 'o1', from: 'confirmed', status: 'cancelled', items: [], at },
        source,
      ),
    );
    expect(update.requires).toBe(10);
    expect(update.rank).toBe(90);
    expect(update.fields.status).toBe('cancelled');
  });

  test('the status message is the contract shape', () => {
    const message = toStatusMessage({
      order_id: 'o1',
      status: 'out_for_delivery',
      delivery_status: 'waiting',
      at,
      event_id: 'e1',
      rank: 50,
      ts: at,
    });
    expect(StatusMessage.parse(message)).toEqual({
      type: 'status',
      order_id: 'o1',
      status: 'out_for_delivery',
      delivery_status: 'waiting',
      at,
      event_id: 'e1',
    });
  });
});

describe('tracking URL', () => {
  test('gives the order id and token', () => {
    expect(parseTrackingUrl('/ws/v1/order-tracking/abc-1?token=T')).toEqual({ orderId: 'abc-1', token: 'T' });
  });

  test('a missing token or a malformed id is kept as undefined (the client gets not_found)', () => {
    expect(parseTrackingUrl('/ws/v1/order-tracking/abc')).toEqual({ orderId: 'abc', token: undefined });
    expect(parseTrackingUrl('/ws/v1/order-tracking/?token=T')).toEqual({ orderId: undefined, token: 'T' });
    expect(parseTrackingUrl('/ws/v1/order-tracking/a/b?token=T')?.orderId).toBeUndefined();
    expect(parseTrackingUrl(`/ws/v1/order-tracking/${'x'.repeat(200)}?token=T`)?.orderId).toBeUndefined();
  });

  test('any other path is not a tracking URL', () => {
    expect(parseTrackingUrl('/ws/v2/other')).toBeUndefined();
    expect(parseTrackingUrl('/api/v1/orders')).toBeUndefined();
    expect(parseTrackingUrl(undefined)).toBeUndefined();
  });
});

describe('trackingTokenMatches', () => {
  test('accepts the token whose SHA-256 is the hash, and nothing else', () => {
    expect(trackingTokenMatches('secret', hash('secret'))).toBe(true);
    expect(trackingTokenMatches('Secret', hash('secret'))).toBe(false);
    expect(trackingTokenMatches('secret', 'not-hex')).toBe(false);
    expect(trackingTokenMatches('secret', '')).toBe(false);
  });
});

describe('environment', () => {
  const base = { REDIS_URL: 'redis://127.0.0.1:6379' };

  test('needs no MongoDB, and defaults to a 30 s ping, a 60 s timeout, a 1 MiB bound and a 5 s grace', () => {
    expect(loadConfig(NotificationsEnv, base)).toMatchObject({
      WS_PING_INTERVAL_MS: 30_000,
      WS_CLIENT_TIMEOUT_MS: 60_000,
      WS_MAX_BUFFERED_BYTES: 1024 * 1024,
      WS_UNKNOWN_ORDER_GRACE_MS: 5_000,
    });
  });

  test('a bad value is refused with the variable named', () => {
    expect(() => loadConfig(NotificationsEnv, { ...base, WS_PING_INTERVAL_MS: 'often' })).toThrow(
      /WS_PING_INTERVAL_MS/,
    );
    expect(() => loadConfig(NotificationsEnv, {})).toThrow(/REDIS_URL/);
  });
});
