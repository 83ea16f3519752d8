import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import { HttpEnv } from '../config';

export interface RunningServer {
  server: Server;
  port: number;
  /** Stops accepting, lets open requests finish, and resolves when the server has closed. */
  close(): Promise<void>;
}

/** How long a client may take, and how many may be connected at once (HTTP_* in the configuration). */
export interface ServerLimits {
  /** Until the request's headers are complete; a slow-header client is cut off after this. */
  headersTimeoutMs: number;
  /** Until the whole request, body included, is received. */
  requestTimeoutMs: number;
  /** Connections (upgraded WebSockets included) beyond this are closed as they arrive. */
  maxConnections: number;
}

/** The limits the HTTP_* settings of the configuration (HttpEnv) give every server, the `npm start` gateway's too. */
export function serverLimitsOf(
  config: Pick<
    z.infer<typeof HttpEnv>,
    'HTTP_HEADERS_TIMEOUT_MS' | 'HTTP_REQUEST_TIMEOUT_MS' | 'HTTP_MAX_CONNECTIONS'
  >,
): ServerLimits {
  return {
    headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
    maxConnections: config.HTTP_MAX_CONNECTIONS,
  };
}

/** With no HTTP_* set. */
export const DEFAULT_SERVER_LIMITS: ServerLimits = serverLimitsOf(HttpEnv.parse({}));

export async function listen(
  handler: RequestListener,
  port: number,
  host = '0.0.0.0',
  limits: ServerLimits = DEFAULT_SERVER_LIMITS,
): Promise<RunningServer> {
  // Node checks both timeouts only every connectionsCheckingInterval (30 s by default): check often
  // enough that a timeout is enforced within about a quarter of itself.
  const headersTimeout = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  const server = createServer(
    {
      headersTimeout,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: Math.max(25, Math.min(1_000, Math.floor(headersTimeout / 4))),
    },
    handler,
  );
  server.keepAliveTimeout = 5_000;
  server.maxConnections = limits.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
