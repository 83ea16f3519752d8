import { WS_TOKEN_PROTOCOL_PREFIX, WS_TRACKING_PATH } from '@pizza/shared/contract';

export interface TrackingTarget {
  /** Undefined when the id is missing or malformed: such a client gets not_found. */
  orderId: string | undefined;
  token: string | undefined;
}

const MAX_ID_LENGTH = 128;

/** The token offered as a `token.<T>` subprotocol (Sec-WebSocket-Protocol), if any. */
export function tokenFromProtocols(header: string | undefined): string | undefined {
  const offered = (header ?? '').split(',').map((p) => p.trim());
  const token = offered
    .find((p) => p.startsWith(WS_TOKEN_PROTOCOL_PREFIX))
    ?.slice(WS_TOKEN_PROTOCOL_PREFIX.length);
  return token || undefined;
}

/**
 * `/ws/v1/order-tracking/{order_id}` (or another `prefix`) → its parts; undefined for any other path. The token
 * is the one offered as a subprotocol, else `?token=T` (old links).
 */
export function parseTrackingUrl(
  url: string | undefined,
  protocols?: string,
  prefix = WS_TRACKING_PATH,
): TrackingTarget | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://gateway.invalid');
  } catch {
    return undefined;
  }
  if (!parsed.pathname.startsWith(prefix)) return undefined;
  const rawId = parsed.pathname.slice(prefix.length);
  let orderId: string | undefined;
  try {
    orderId = decodeURIComponent(rawId);
  } catch {
    orderId = undefined;
  }
  if (!orderId || orderId.length > MAX_ID_LENGTH || orderId.includes('/')) orderId = undefined;
  const token = tokenFromProtocols(protocols) ?? (parsed.searchParams.get('token') || undefined);
  return { orderId, token };
}
