import { encode } from '../src/bson';
import { FramingError, MessageFramer } from '../src/wire/framing';
import {
  OP_QUERY,
  encodeMsg,
  encodeMsgRequest,
  encodeReply,
  parseMessage,
  readHeader,
} from '../src/wire/protocol';

function opQuery(requestId: number, collection: string, query: Record<string, unknown>): Buffer {
  const name = Buffer.from(collection + '\0');
  const body = encode(query);
  const out = Buffer.alloc(16 + 4 + name.length + 8 + body.length);
  out.writeInt32LE(out.length, 0);
  out.writeInt32LE(requestId, 4);
  out.writeInt32LE(0, 8);
  out.writeInt32LE(OP_QUERY, 12);
  name.copy(out, 20);
  out.writeInt32LE(0, 20 + name.length);
  out.writeInt32LE(-1, 24 + name.length);
  body.copy(out, 28 + name.length);
  return out;
}

describe('message framing', () => {
  const a = encodeMsgRequest(1, { ping: 1, $db: 'admin' });
  const b = encodeMsgRequest(2, { hello: 1, $db: 'admin' });

  test('given one byte at a time, then each message comes out whole, once', () => {
    const framer = new MessageFramer();
    const out: Buffer[] = [];
    for (const byte of Buffer.concat([a, b])) out.push(...framer.push(Buffer.from([byte])));
    expect(out).toEqual([a, b]);
    expect(framer.bufferedBytes).toBe(0);
  });

  test('given two and a half messages in one chunk, then two come out and the rest waits', () => {
    const framer = new MessageFramer();
    const all = Buffer.concat([a, b, a]);
    const cut = a.length + b.length + 7;
    expect(framer.push(all.subarray(0, cut))).toEqual([a, b]);
    expect(framer.bufferedBytes).toBe(7);
    expect(framer.push(all.subarray(cut))).toEqual([a]);
  });

  test('given a split length prefix, then the message is still framed', () => {
    const framer = new MessageFramer();
    expect(framer.push(a.subarray(0, 2))).toEqual([]);
    expect(framer.push(a.subarray(2))).toEqual([a]);
  });

  test('given an impossible length, then framing fails', () => {
    const framer = new MessageFramer();
    const bad = Buffer.alloc(16);
    bad.writeInt32LE(3, 0);
    expect(() => framer.push(bad)).toThrow(FramingError);
  });
});

describe('OP_MSG and OP_QUERY parsing', () => {
  test('document sequences (kind 1) are attached to the body under their identifier', () => {
    const msg = encodeMsgRequest(7, { insert: 'c', $db: 'd' }, { documents: [{ x: 1 }, { x: 2 }] });
    const req = parseMessage(msg);
    expect(req.kind).toBe('msg');
    expect(req.header.requestId).toBe(7);
    expect(req.command).toEqual({ insert: 'c', $db: 'd', documents: [{ x: 1 }, { x: 2 }] });
  });

  test('a message with the checksum flag is parsed without reading the checksum as a section', () => {
    const msg = encodeMsgRequest(8, { ping: 1, $db: 'admin' }, { documents: [{ y: 1 }] }, 1);
    const req = parseMessage(msg);
    expect(req.command).toEqual({ ping: 1, $db: 'admin', documents: [{ y: 1 }] });
  });

  test('moreToCome and exhaustAllowed flags are reported', () => {
    const req = parseMessage(encodeMsgRequest(9, { hello: 1, $db: 'admin' }, {}, (1 << 1) | (1 << 16)));
    expect(req.kind === 'msg' && req.moreToCome && req.exhaustAllowed).toBe(true);
  });

  test('a legacy OP_QUERY handshake is parsed, unwrapping $query', () => {
    const req = parseMessage(opQuery(3, 'admin.$cmd', { $query: { isMaster: 1, helloOk: true } }));
    expect(req.kind).toBe('query');
    expect(req.kind === 'query' && req.fullCollectionName).toBe('admin.$cmd');
    expect(req.command).toEqual({ isMaster: 1, helloOk: true });
  });

  test('replies carry responseTo and the right opcode', () => {
    const msg = encodeMsg(11, 7, { ok: 1 });
    expect(readHeader(msg)).toEqual({ length: msg.length, requestId: 11, responseTo: 7, opCode: 2013 });
    const reply = encodeReply(12, 3, { ok: 1 });
    expect(readHeader(reply)).toEqual({ length: reply.length, requestId: 12, responseTo: 3, opCode: 1 });
    expect(reply.readInt32LE(32)).toBe(1); // numberReturned
  });
});
