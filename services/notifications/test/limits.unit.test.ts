import { trackingProtocols } from '@pizza/shared/contract';
import { parseTrackingUrl, tokenFromProtocols } from '../src/domain/tracking-url';
import { ConnectionCaps } from '../src/ws/connection-caps';

describe('the tracking token as a subprotocol', () => {
  test('is read from the offered protocols, and wins over the query string', () => {
    const offered = trackingProtocols('tok-EN_1').join(', ');
    expect(tokenFromProtocols(offered)).toBe('tok-EN_1');
    expect(parseTrackingUrl('/ws/v1/order-tracking/o-1', offered)).toEqual({
      orderId: 'o-1',
      token: 'tok-EN_1',
    });
    expect(parseTrackingUrl('/ws/v1/order-tracking/o-1?token=old', offered)?.token).toBe('tok-EN_1');
  });

  test('without one, the query string (old links) still counts; an empty token is none', () => {
    expect(parseTrackingUrl('/ws/v1/order-tracking/o-1?token=old', 'pizza-tracking.v1')?.token).toBe('old');
    expect(tokenFromProtocols(undefined)).toBeUndefined();
    expect(tokenFromProtocols('pizza-tracking.v1, token.')).toBeUndefined();
  });
});

describe('connection caps', () => {
  test('a client address gets its share, the gateway its total, and a closed connection frees a slot', () => {
    const caps = new ConnectionCaps({ total: 3, perClient: 2 });
    expect(caps.take('a')).toBeUndefined();
    expect(caps.take('a')).toBeUndefined();
    expect(caps.take('a')).toBe('per_client');
    expect(caps.take('b')).toBeUndefined();
    expect(caps.take('c')).toBe('total');
    caps.release('a');
    expect(caps.take('c')).toBeUndefined();
    expect(caps.take('a')).toBe('total');
  });

  test('releasing an address that holds nothing changes nothing', () => {
    const caps = new ConnectionCaps({ total: 1, perClient: 1 });
    caps.release('ghost');
    expect(caps.take('a')).toBeUndefined();
    expect(caps.take('b')).toBe('total');
  });
});
