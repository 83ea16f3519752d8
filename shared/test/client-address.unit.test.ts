import type { IncomingMessage } from 'node:http';
import { BaseEnv, clientAddress, loadConfig, parseTrustProxy, pathOf } from '../src';

const request = (peer: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage;

describe('the client address behind proxies (TRUST_PROXY)', () => {
  test('by default only a proxy on this host may name the client', () => {
    const trust = parseTrustProxy('loopback');
    expect(clientAddress(request('127.0.0.1', '203.0.113.7'), trust)).toBe('203.0.113.7');
    // A client that is not a trusted proxy cannot pick its own identity.
    expect(clientAddress(request('198.51.100.2', '203.0.113.7'), trust)).toBe('198.51.100.2');
  });

  test('a forged entry before the trusted hops is ignored: the nearest untrusted address wins', () => {
    const trust = parseTrustProxy('loopback, 10.0.0.0/8');
    expect(clientAddress(request('10.1.2.3', '6.6.6.6, 203.0.113.7, 10.9.9.9'), trust)).toBe('203.0.113.7');
  });

  test('false ignores X-Forwarded-For; a hop count trusts that many proxies', () => {
    expect(clientAddress(request('127.0.0.1', '203.0.113.7'), parseTrustProxy('false'))).toBe('127.0.0.1');
    expect(clientAddress(request('192.0.2.1', '203.0.113.7, 198.51.100.9'), parseTrustProxy('1'))).toBe(
      '198.51.100.9',
    );
    expect(clientAddress(request('192.0.2.1', '203.0.113.7, 198.51.100.9'), parseTrustProxy('2'))).toBe(
      '203.0.113.7',
    );
  });

  test('the configuration refuses a TRUST_PROXY that is not an address, and defaults to loopback', () => {
    const env = { REDIS_URL: 'redis://localhost:6379' };
    expect(loadConfig(BaseEnv, env).TRUST_PROXY).toBe('loopback');
    expect(() => loadConfig(BaseEnv, { ...env, TRUST_PROXY: 'nginx.internal' })).toThrow(/TRUST_PROXY/);
  });

  test('the HTTP bounds have defaults and can be set', () => {
    const env = { REDIS_URL: 'redis://localhost:6379' };
    expect(loadConfig(BaseEnv, env)).toMatchObject({
      HTTP_HEADERS_TIMEOUT_MS: 10_000,
      HTTP_REQUEST_TIMEOUT_MS: 30_000,
      HTTP_MAX_CONNECTIONS: 16_384,
      HTTP_MAX_BODY_BYTES: 16_384,
    });
    expect(loadConfig(BaseEnv, { ...env, HTTP_HEADERS_TIMEOUT_MS: '500' }).HTTP_HEADERS_TIMEOUT_MS).toBe(500);
    expect(() => loadConfig(BaseEnv, { ...env, HTTP_MAX_CONNECTIONS: '0' })).toThrow(/HTTP_MAX_CONNECTIONS/);
  });
});

describe('what a log may say of a request target', () => {
  test.each([
    ['/api/v1/orders/o-1?token=secret', '/api/v1/orders/o-1'],
    ['/ws/v1/order-tracking/o-1?token=secret&x=1', '/ws/v1/order-tracking/o-1'],
    ['/orders/o-1#token=secret', '/orders/o-1'],
    ['/api/v1/menu', '/api/v1/menu'],
    [undefined, ''],
  ])('%s → %s', (url, path) => {
    expect(pathOf(url)).toBe(path);
  });
});
