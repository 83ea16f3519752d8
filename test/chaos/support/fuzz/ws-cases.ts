import { connect } from 'node:net';
import { percentEncode, type Random } from './random';

/**
 * WebSocket fuzz over raw TCP: bad upgrade requests (paths, ids, tokens, headers), and after a good
 * handshake on a real order, frames that break the protocol or the size bound. The outcome is the HTTP
 * status of the handshake and the close code the server sent; a 5xx or a 1011 is a server error.
 */
export interface WsOutcome {
  kind: string;
  status: number;
  closeCode?: number;
}

export interface WsTarget {
  host: string;
  port: number;
  orderId: string;
  token: string;
}

function frame(
  r: Random,
  opcode: number,
  payload: Buffer,
  options: { fin?: boolean; rsv?: number; mask?: boolean; declared?: number } = {},
): Buffer {
  const mask = options.mask ?? true;
  const len = options.declared ?? payload.length;
  const head = [((options.fin ?? true) ? 0x80 : 0) | ((options.rsv ?? 0) << 4) | opcode];
  const ext: number[] = [];
  if (len < 126) head.push((mask ? 0x80 : 0) | len);
  else if (len < 65536) {
    head.push((mask ? 0x80 : 0) | 126);
    ext.push(len >> 8, len & 0xff);
  } else {
    head.push((mask ? 0x80 : 0) | 127);
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(len));
    ext.push(...big);
  }
  const key = mask ? r.bytes(4) : Buffer.alloc(0);
  const body = Buffer.from(payload);
  if (mask) for (let i = 0; i < body.length; i++) body[i]! ^= key[i % 4]!;
  return Buffer.concat([Buffer.from(head), Buffer.from(ext), key, body]);
}

function badFrames(r: Random): { kind: string; bytes: Buffer } {
  switch (r.int(0, 10)) {
    case 0:
      return { kind: 'invalid utf-8 text', bytes: frame(r, 0x1, Buffer.from([0xc3, 0x28, 0xff, 0xfe])) };
    case 1:
      return { kind: 'unmasked frame', bytes: frame(r, 0x1, Buffer.from('hi'), { mask: false }) };
    case 2:
      return { kind: 'reserved bits', bytes: frame(r, 0x1, Buffer.from('hi'), { rsv: r.int(1, 7) }) };
    case 3:
      return { kind: 'unknown opcode', bytes: frame(r, r.pick([0x3, 0x4, 0x7, 0xb, 0xf]), Buffer.from('x')) };
    case 4:
      return { kind: 'over maxPayload', bytes: frame(r, 0x2, r.bytes(r.int(17 * 1024, 64 * 1024))) };
    case 5:
      return { kind: 'huge declared length', bytes: frame(r, 0x2, Buffer.from('x'), { declared: 2 ** 40 }) };
    case 6:
      return { kind: 'ping over 125 bytes', bytes: frame(r, 0x9, r.bytes(200)) };
    case 7:
      return { kind: 'close with bad code', bytes: frame(r, 0x8, Buffer.from([0x03, 0xe7])) };
    case 8:
      return { kind: 'fragmented control', bytes: frame(r, 0x9, Buffer.from('p'), { fin: false }) };
    case 9:
      return {
        kind: 'garbage json text',
        bytes: Buffer.concat(
          Array.from({ length: r.int(1, 20) }, () =>
            frame(r, 0x1, Buffer.from(r.pick(['{', 'null', '{"type":"status"}', 'x'.repeat(1000), '[]']))),
          ),
        ),
      };
    default:
      return { kind: 'random bytes', bytes: r.bytes(r.int(1, 200)) };
  }
}

function handshake(
  r: Random,
  target: WsTarget,
): { kind: string; request: string; followUp?: { kind: string; bytes: Buffer } } {
  const key = r.bytes(16).toString('base64');
  const good = `/ws/v1/order-tracking/${target.orderId}?token=${encodeURIComponent(target.token)}`;
  const headers = (path: string, extra: string[] = []) =>
    [
      `GET ${path} HTTP/1.1`,
      `Host: ${target.host}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${key}`,
      'Sec-WebSocket-Version: 13',
      ...extra,
      '',
      '',
    ].join('\r\n');
  const pick = r.int(0, 9);
  if (pick <= 4) return { kind: 'frames', request: headers(good), followUp: badFrames(r) };
  if (pick === 5) {
    const path = r.pick([
      `/ws/v1/order-tracking/${target.orderId}?token=${percentEncode(r.text(12))}`,
      `/ws/v1/order-tracking/${percentEncode(r.text(30))}?token=x`,
      `/ws/v1/order-tracking/${'i'.repeat(200)}?token=x`,
      '/ws/v1/order-tracking/%ZZ?token=x',
      '/ws/v1/order-tracking/',
      `/ws/v1/other/${target.orderId}`,
      `/ws/../api/v1/menu`,
    ]);
    return { kind: 'bad path or token', request: headers(path) };
  }
  const broken = r.pick([
    headers(good).replace(/Sec-WebSocket-Key: .*\r\n/, ''),
    headers(good).replace('Sec-WebSocket-Version: 13', `Sec-WebSocket-Version: ${r.pick(['8', '99', 'x'])}`),
    headers(good).replace(/Sec-WebSocket-Key: .*\r\n/, 'Sec-WebSocket-Key: short\r\n'),
    headers(good).replace('Upgrade: websocket', 'Upgrade: h2c'),
    headers(good, ['Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=99']),
    headers(good, ['Sec-WebSocket-Protocol: ' + r.text(40).replace(/[\r\n]/g, '')]),
  ]);
  return { kind: 'bad upgrade headers', request: broken };
}

/** The close code in the first close frame the server sent after its 101, if any. */
function closeCodeIn(data: Buffer): number | undefined {
  let i = data.indexOf('\r\n\r\n');
  if (i < 0) return undefined;
  i += 4;
  while (i + 2 <= data.length) {
    const opcode = data[i]! & 0x0f;
    let len = data[i + 1]! & 0x7f;
    let at = i + 2;
    if (len === 126) {
      if (at + 2 > data.length) return undefined;
      len = data.readUInt16BE(at);
      at += 2;
    } else if (len === 127) {
      if (at + 8 > data.length) return undefined;
      len = Number(data.readBigUInt64BE(at));
      at += 8;
    }
    if (opcode === 0x8) return len >= 2 && at + 2 <= data.length ? data.readUInt16BE(at) : 1005;
    i = at + len;
  }
  return undefined;
}

export function wsCase(r: Random, target: WsTarget, timeoutMs = 1_500): Promise<WsOutcome> {
  const { kind, request, followUp } = handshake(r, target);
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: target.port });
    let data = Buffer.alloc(0);
    let sent = false;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data.toString('latin1'))?.[1] ?? 0);
      resolve({ kind: followUp ? `frames: ${followUp.kind}` : kind, status, closeCode: closeCodeIn(data) });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('connect', () => socket.write(request, 'latin1'));
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const text = data.toString('latin1');
      if (followUp && !sent && text.startsWith('HTTP/1.1 101') && text.includes('\r\n\r\n')) {
        sent = true;
        socket.write(followUp.bytes);
      }
      if (
        closeCodeIn(data) !== undefined ||
        (/^HTTP\/1\.1 [2-5]\d\d/.test(text) && !text.startsWith('HTTP/1.1 101'))
      )
        finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
  });
}
