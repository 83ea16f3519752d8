import { z } from 'zod';
import { BaseEnv, TokenFailuresEnv } from '@pizza/shared';

const int = (fallback: number, min: number) => z.coerce.number().int().min(min).default(fallback);

/**
 * The gateway's environment: the bus variables plus the WebSocket heartbeat, backpressure and connection bounds,
 * and the limit on wrong tokens.
 */
export const NotificationsEnv = BaseEnv.extend({
  /** How often every client is pinged. */
  WS_PING_INTERVAL_MS: int(30_000, 10),
  /** A client silent (no pong, no message) for this long is dropped. */
  WS_CLIENT_TIMEOUT_MS: int(60_000, 10),
  /** A client whose unsent bytes pass this bound is dropped rather than buffered without limit. */
  WS_MAX_BUFFERED_BYTES: int(1024 * 1024, 1024),
  /** How long a connection for a not-yet-known order waits for its order.created before 4404. */
  WS_UNKNOWN_ORDER_GRACE_MS: int(5_000, 0),
  /** Open connections this gateway process takes; more are closed with 1013. Keep below HTTP_MAX_CONNECTIONS. */
  WS_MAX_CONNECTIONS: int(10_000, 1),
  /** Open connections one client address may hold; more are closed with 4429. */
  WS_MAX_CONNECTIONS_PER_CLIENT: int(50, 1),
  /** How often the system view and the followed order traces are read and pushed. */
  SYSTEM_VIEW_INTERVAL_MS: int(1_000, 50),
  /** How often the stock levels are read and, when they changed, pushed to menu viewers (only while watched). */
  WS_STOCK_INTERVAL_MS: int(500, 50),
  // Wrong tokens on the tracking and trace channels count with the order API's, under the same settings.
}).extend(TokenFailuresEnv.shape);
export type NotificationsConfig = z.infer<typeof NotificationsEnv>;
