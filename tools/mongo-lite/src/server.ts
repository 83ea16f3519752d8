// start(): a MongoDB wire-protocol server on a TCP port, optionally persisting to a directory.
import net from 'node:net';
import { Connection } from './connection';
import { sweepTtl } from './engine/ttl';
import { Journal } from './persistence/journal';
import { SET_NAME, ServerState } from './state';

export interface StartOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Directory to persist data in; in memory only when absent. */
  dbpath?: string;
  /** Open transactions older than this are aborted (mongod's transactionLifetimeLimitSeconds; default 60). */
  transactionLifetimeLimitSeconds?: number;
}

export interface RunningServer {
  /** Connection string with replicaSet=rs0, as the driver needs for transactions. */
  uri: string;
  port: number;
  stop(): Promise<void>;
}

const GC_INTERVAL_MS = 100;
const SWEEP_INTERVAL_MS = 1000;

export async function start(options: StartOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const lifetime = options.transactionLifetimeLimitSeconds;
  const state = new ServerState(
    host,
    options.port ?? 0,
    lifetime === undefined ? undefined : lifetime * 1000,
  );
  const journal = options.dbpath ? Journal.open(options.dbpath, state.engine) : undefined;
  state.engine.journal = journal;

  const connections = new Set<Connection>();
  let nextConnectionId = 1;
  const server = net.createServer((socket) => {
    const conn = new Connection(socket, state, nextConnectionId++);
    connections.add(conn);
    state.openConnections++;
    state.totalConnections++;
    socket.on('close', () => {
      connections.delete(conn);
      state.openConnections--;
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(state.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  state.port = typeof address === 'object' && address ? address.port : state.port;

  const gcTimer = setInterval(() => state.engine.gc(), GC_INTERVAL_MS);
  const sweepTimer = setInterval(() => {
    const now = Date.now();
    state.sessions.sweep(now, state.engine);
    state.cursors.sweep(now);
    try {
      sweepTtl(state.engine, now);
    } catch (err) {
      console.error('mongo-lite: TTL sweep failed', err);
    }
  }, SWEEP_INTERVAL_MS);
  gcTimer.unref();
  sweepTimer.unref();

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      clearInterval(gcTimer);
      clearInterval(sweepTimer);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const c of connections) c.close();
      await closed;
      for (const txn of [...state.engine.active]) state.engine.abort(txn);
      await journal?.close();
    })();
    return stopping;
  };

  return { uri: `mongodb://${host}:${state.port}/?replicaSet=${SET_NAME}`, port: state.port, stop };
}
