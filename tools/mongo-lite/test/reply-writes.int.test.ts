// How the server writes replies to a socket (server internals, so never run against real MongoDB):
// pipelined requests that arrive together are answered with one socket write, and a request that waits
// does not hold back the replies of the others.
import net from 'node:net';
import { Long } from 'mongodb';
import { Connection } from '../src/connection';
import { ServerState } from '../src/state';
import { MessageFramer } from '../src/wire/framing';
import { encodeMsgRequest, readHeader } from '../src/wire/protocol';
import { waitFor } from './support/harness';

const state = new ServerState('127.0.0.1', 0);
const connections: Connection[] = [];
let server: net.Server;
/** Writes the server made to its side of the newest connection (one per write/writev reaching the OS). */
let socketWrites = 0;

beforeAll(async () => {
  server = net.createServer((socket) => {
    socketWrites = 0;
    const countWrite = <A extends unknown[], R>(original: (...args: A) => R) =>
      function (this: net.Socket, ...args: A): R {
        socketWrites++;
        return original.apply(this, args);
      };
    socket._write = countWrite(socket._write);
    if (socket._writev) socket._writev = countWrite(socket._writev);
    connections.push(new Connection(socket, state, connections.length + 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  for (const c of connections) c.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function connect(): Promise<{ socket: net.Socket; replies: Buffer[] }> {
  const address = server.address() as net.AddressInfo;
  const socket = net.connect(address.port, '127.0.0.1');
  const framer = new MessageFramer();
  const replies: Buffer[] = [];
  socket.on('data', (d: Buffer) => replies.push(...framer.push(d)));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, replies };
}

test('requests that arrive in one chunk are answered with one socket write', async () => {
  const { socket, replies } = await connect();
  try {
    const pings = [1, 2, 3, 4].map((id) => encodeMsgRequest(id, { ping: 1, $db: 'admin' }));
    socket.write(Buffer.concat(pings));
    await waitFor(() => replies.length === 4, 'four replies');
    expect(replies.map((r) => readHeader(r).responseTo)).toEqual([1, 2, 3, 4]);
    expect(socketWrites).toBe(1);
  } finally {
    socket.destroy();
  }
});

test('a reply is not held back by a request of the same chunk that waits', async () => {
  const { socket, replies } = await connect();
  try {
    // An awaitable hello from a client that knows this server waits maxAwaitTimeMS before answering.
    const hello = encodeMsgRequest(11, {
      hello: 1,
      $db: 'admin',
      maxAwaitTimeMS: 600_000,
      topologyVersion: { processId: state.processId, counter: Long.fromNumber(0) },
    });
    const ping = encodeMsgRequest(12, { ping: 1, $db: 'admin' });
    socket.write(Buffer.concat([ping, hello]));
    await waitFor(() => replies.length === 1, 'the ping reply while the hello waits');
    expect(readHeader(replies[0] as Buffer).responseTo).toBe(12);
  } finally {
    socket.destroy();
  }
});
