import { badOrderBody } from './bodies';
import { httpRequest } from './raw';
import { percentEncode, type Random } from './random';

/**
 * One bad HTTP request as raw bytes: a broken order body, broken headers, a method or path that does not
 * exist, or no HTTP at all. None of them may get a 5xx, and none may change stock.
 */
export interface HttpCase {
  kind: string;
  bytes: Buffer;
}

const METHODS = ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'FOO', 'get', 'POST ', 'CONNECT'];

function orderPost(
  host: string,
  body: Buffer,
  extra: [string, string][] = [],
  contentType = 'application/json',
): Buffer {
  const headers: [string, string][] = [
    ['Host', host],
    ['Content-Type', contentType],
    ['Content-Length', String(body.length)],
    ...extra,
  ];
  return httpRequest('POST', '/api/v1/orders', headers, body);
}

export function httpCase(r: Random, host: string, itemIds: readonly string[]): HttpCase {
  const { kind, body } = badOrderBody(r, itemIds);
  switch (r.int(0, 11)) {
    case 0:
    case 1:
    case 2:
    case 3:
      return { kind: `body: ${kind}`, bytes: orderPost(host, body) };
    case 4:
      return {
        kind: 'content-type',
        bytes: orderPost(
          host,
          body,
          [],
          r.pick([
            'text/plain',
            'multipart/form-data; boundary=x',
            'application/json; charset=utf-16',
            'application/x-www-form-urlencoded',
            '',
            '*/*',
          ]),
        ),
      };
    case 5: {
      const key = r.pick(['', 'k'.repeat(r.int(200, 400)), `bad\tkey`, 'ключ', 'a\u007fb', ' '.repeat(10)]);
      return {
        kind: 'idempotency-key',
        bytes: orderPost(host, body, [['Idempotency-Key', Buffer.from(key, 'utf8').toString('latin1')]]),
      };
    }
    case 6: {
      const declared = r.pick([0, Math.max(0, body.length - r.int(1, 20)), body.length + r.int(1, 10), -1]);
      const headers: [string, string][] = [
        ['Host', host],
        ['Content-Type', 'application/json'],
        ['Content-Length', String(declared)],
      ];
      return { kind: 'content-length mismatch', bytes: httpRequest('POST', '/api/v1/orders', headers, body) };
    }
    case 7: {
      const chunked = r.pick([
        `zz\r\n${body.toString('latin1')}\r\n0\r\n\r\n`,
        `${body.length.toString(16)}\r\n${body.toString('latin1')}\r\n`,
        `ffffffffffffffff\r\n{}\r\n0\r\n\r\n`,
        `${body.length.toString(16)};ext="x\r\n${body.toString('latin1')}\r\n0\r\n\r\n`,
      ]);
      const headers: [string, string][] = [
        ['Host', host],
        ['Content-Type', 'application/json'],
        ['Transfer-Encoding', 'chunked'],
      ];
      if (r.next() < 0.5) headers.push(['Content-Length', '5']);
      return {
        kind: 'chunked framing',
        bytes: httpRequest('POST', '/api/v1/orders', headers, Buffer.from(chunked, 'latin1')),
      };
    }
    case 8: {
      const name = r.pick(['X-Fuzz', 'Bad Header', 'X-Ünï', 'X-\u0001', ':authority', 'Cookie']);
      const value = r.pick([r.text(50), 'v'.repeat(r.int(9_000, 20_000)), '\u0000', '']);
      return {
        kind: 'header',
        bytes: orderPost(host, body, [[name, Buffer.from(value, 'utf8').toString('latin1')]]),
      };
    }
    case 9: {
      const method = r.pick(METHODS);
      return {
        kind: `method ${method.trim()}`,
        bytes: httpRequest(
          method,
          r.pick(['/api/v1/orders', '/api/v1/menu', `/api/v1/orders/${r.int(0, 1e9)}`]),
          [
            ['Host', host],
            ['Content-Length', '0'],
          ],
        ),
      };
    }
    case 10: {
      const id = r.pick([
        percentEncode(r.text(20)),
        '%ZZ',
        '..%2F..%2Fetc%2Fpasswd',
        'x'.repeat(r.int(200, 9_000)),
        '%00',
        '💥',
        '',
      ]);
      const token = r.pick([percentEncode(r.text(10)), '', '%E0%A4%A', 'a&token=b&token=c']);
      const path = r.pick([
        `/api/v1/orders/${id}?token=${token}`,
        `/api/v1/orders/${id}/cancel?token=${token}`,
        `/api/v1/admin/dead-letters?limit=${token}`,
        `/api/v1/${id}`,
        `/api/v1/menu?${token}=${id}`,
      ]);
      const method = path.includes('/cancel') ? 'POST' : 'GET';
      const headers: [string, string][] = [
        ['Host', host],
        ['Content-Length', '0'],
      ];
      if (path.includes('/admin/'))
        headers.push([
          'Authorization',
          r.pick(['Bearer ', 'Bearer x', 'Basic abc', 'Bearer ' + 'a'.repeat(5000)]),
        ]);
      return { kind: 'path/query', bytes: httpRequest(method, path, headers) };
    }
    default:
      return {
        kind: 'not http',
        bytes: r.pick([
          r.bytes(r.int(1, 300)),
          Buffer.from('GET /api/v1/menu HTTP/9.9\r\n\r\n'),
          Buffer.from('GET /api/v1/menu\r\n\r\n'),
          Buffer.from(`POST /api/v1/orders HTTP/1.1\r\nHost: ${host}\r\n\r\n`.repeat(3)),
          Buffer.from('\r\n\r\n\r\n'),
          Buffer.from(`PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`),
        ]),
      };
  }
}
