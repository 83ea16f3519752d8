// Splits a TCP byte stream into whole wire-protocol messages (each starts with its int32 length),
// whatever the chunking: partial frames are kept until complete, several frames per chunk are all returned.

export const MAX_MESSAGE_BYTES = 48_000_000;
const HEADER_BYTES = 16;

export class FramingError extends Error {}

export class MessageFramer {
  private pending: Buffer = Buffer.alloc(0);

  /** Feeds a chunk; returns every message it completes, in order. */
  push(chunk: Buffer): Buffer[] {
    const data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: Buffer[] = [];
    let offset = 0;
    while (data.length - offset >= 4) {
      const size = data.readInt32LE(offset);
      if (size < HEADER_BYTES || size > MAX_MESSAGE_BYTES) {
        throw new FramingError(`invalid message length ${size}`);
      }
      if (data.length - offset < size) break;
      out.push(data.subarray(offset, offset + size));
      offset += size;
    }
    // Copy the remainder so a large chunk is not kept alive by a small tail.
    this.pending = offset === data.length ? Buffer.alloc(0) : Buffer.from(data.subarray(offset));
    return out;
  }

  get bufferedBytes(): number {
    return this.pending.length;
  }
}
