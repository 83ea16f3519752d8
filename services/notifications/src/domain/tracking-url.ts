import { WS_TRACKING_PATH } from '@pizza/shared/contract';

export interface TrackingTarget {
  /** Undefined when the id is missing or malformed: such a client gets not_found. */
  orderId: string | undefined;
  token: string | undefined;
}

const MAX_ID_LENGTH = 128;

/** `/ws/v1/order-tracking/{order_id}?token=T` (or another `prefix`) → its parts; undefined for any other path. */
export function parseTrackingUrl(url: string | undefined, prefix = WS_TRACKING_PATH): TrackingTarget | undefined {
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
  const token = parsed.searchParams.get('token') || undefined;
  return { orderId, token };
}
