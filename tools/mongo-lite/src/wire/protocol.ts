// Wire protocol messages: OP_MSG (sections kind 0 and 1, optional checksum), and the legacy OP_QUERY /
// OP_REPLY pair that drivers still use for the first handshake.
import { decode, encode, type Doc } from '../bson';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

const CHECKSUM_PRESENT = 1 << 0;
export const MORE_TO_COME = 1 << 1;
const EXHAUST_ALLOWED = 1 << 16;

export interface Header {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

export interface MsgRequest {
  kind: 'msg';
  header: Header;
  /** Section 0 with every kind-1 sequence attached as an array field under its identifier. */
  command: Doc;
  moreToCome: boolean;
  exhaustAllowed: boolean;
}

export interface QueryRequest {
  kind: 'query';
  header: Header;
  fullCollectionName: string;
  command: Doc;
}

export type Request = MsgRequest | QueryRequest;

export class ProtocolError extends Error {}

export function readHeader(buf: Buffer): Header {
  return {
    length: buf.readInt32LE(0),
    requestId: buf.readInt32LE(4),
    responseTo: buf.readInt32LE(8),
    opCode: buf.readInt32LE(12),
  };
}

function readDoc(buf: Buffer, offset: number): [Doc, number] {
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > buf.length) throw new ProtocolError('document overruns message');
  return [decode(buf.subarray(offset, offset + size)), offset + size];
}

function readCString(buf: Buffer, offset: number): [string, number] {
  const end = buf.indexOf(0, offset);
  if (end < 0) throw new ProtocolError('unterminated cstring');
  return [buf.toString('utf8', offset, end), end + 1];
}

export function parseMessage(buf: Buffer): Request {
  const header = readHeader(buf);
  if (header.opCode === OP_MSG) return parseMsg(buf, header);
  if (header.opCode === OP_QUERY) return parseQuery(buf, header);
  throw new ProtocolError(`unsupported opCode ${header.opCode}`);
}

function parseMsg(buf: Buffer, header: Header): MsgRequest {
  const flags = buf.readUInt32LE(16);
  const end = flags & CHECKSUM_PRESENT ? buf.length - 4 : buf.length;
  let offset = 20;
  let body: Doc | undefined;
  const sequences: [string, Doc[]][] = [];
  while (offset < end) {
    const kind = buf.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      [body, offset] = readDoc(buf, offset);
    } else if (kind === 1) {
      const size = buf.readInt32LE(offset);
      const seqEnd = offset + size;
      let id: string;
      [id, offset] = readCString(buf, offset + 4);
      const docs: Doc[] = [];
      while (offset < seqEnd) {
        let doc: Doc;
        [doc, offset] = readDoc(buf, offset);
        docs.push(doc);
      }
      sequences.push([id, docs]);
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new ProtocolError('OP_MSG without a body section');
  for (const [id, docs] of sequences) body[id] = docs;
  return {
    kind: 'msg',
    header,
    command: body,
    moreToCome: (flags & MORE_TO_COME) !== 0,
    exhaustAllowed: (flags & EXHAUST_ALLOWED) !== 0,
  };
}

function parseQuery(buf: Buffer, header: Header): QueryRequest {
  const [fullCollectionName, afterName] = readCString(buf, 20); // after header + flags
  const [query] = readDoc(buf, afterName + 8); // skip numberToSkip, numberToReturn
  const wrapped = query.$query;
  const command =
    wrapped && typeof wrapped === 'object' && !Array.isArray(wrapped) ? (wrapped as Doc) : query;
  return { kind: 'query', header, fullCollectionName, command };
}

function writeHeader(out: Buffer, requestId: number, responseTo: number, opCode: number): void {
  out.writeInt32LE(out.length, 0);
  out.writeInt32LE(requestId, 4);
  out.writeInt32LE(responseTo, 8);
  out.writeInt32LE(opCode, 12);
}

export function encodeMsg(requestId: number, responseTo: number, doc: Doc, flags = 0): Buffer {
  const body = encode(doc);
  const out = Buffer.allocUnsafe(21 + body.length);
  writeHeader(out, requestId, responseTo, OP_MSG);
  out.writeUInt32LE(flags, 16);
  out.writeUInt8(0, 20);
  body.copy(out, 21);
  return out;
}

export function encodeReply(requestId: number, responseTo: number, doc: Doc): Buffer {
  const body = encode(doc);
  const out = Buffer.allocUnsafe(36 + body.length);
  writeHeader(out, requestId, responseTo, OP_REPLY);
  out.writeInt32LE(0, 16); // responseFlags
  out.writeBigInt64LE(0n, 20); // cursorID
  out.writeInt32LE(0, 28); // startingFrom
  out.writeInt32LE(1, 32); // numberReturned
  body.copy(out, 36);
  return out;
}

/** Builds an OP_MSG request (used by unit tests and tools that speak to the server directly). */
export function encodeMsgRequest(
  requestId: number,
  body: Doc,
  sequences: Record<string, Doc[]> = {},
  flags = 0,
): Buffer {
  const parts: Buffer[] = [Buffer.from([0]), encode(body)];
  for (const [id, docs] of Object.entries(sequences)) {
    const encoded = docs.map(encode);
    const idBytes = Buffer.from(id + '\0', 'utf8');
    const size = 4 + idBytes.length + encoded.reduce((n, b) => n + b.length, 0);
    const sizeBuf = Buffer.alloc(4);
    sizeBuf.writeInt32LE(size, 0);
    parts.push(Buffer.from([1]), sizeBuf, idBytes, ...encoded);
  }
  if (flags & CHECKSUM_PRESENT) parts.push(Buffer.alloc(4)); // the server skips, never verifies, the CRC
  const payload = Buffer.concat(parts);
  const out = Buffer.alloc(20 + payload.length);
  writeHeader(out, requestId, 0, OP_MSG);
  out.writeUInt32LE(flags, 16);
  payload.copy(out, 20);
  return out;
}
