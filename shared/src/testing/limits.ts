/**
 * The per-client limits raised out of the way, for harnesses that place many orders or open many sockets
 * from one address (127.0.0.1): end-to-end, chaos and pipeline tests, benchmarks. Tests of the limits
 * themselves set their own small values. Order admission control is turned out of the way too: races of
 * hundreds of buyers at once are what these harnesses test (the benchmark keeps the defaults, and measures them).
 */
export const GENEROUS_LIMITS_ENV: Readonly<Record<string, string>> = {
  RATE_LIMIT_ORDERS: '1000000',
  RATE_LIMIT_TOKEN_FAILURES: '1000000',
  RATE_LIMIT_ADMIN_FAILURES: '1000000',
  ORDERS_MAX_IN_FLIGHT: '1000000',
  ORDERS_MAX_BACKLOG: '0',
  WS_MAX_CONNECTIONS: '1000000',
  WS_MAX_CONNECTIONS_PER_CLIENT: '1000000',
};
