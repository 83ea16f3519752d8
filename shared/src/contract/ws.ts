import { z } from 'zod';
import { DeliveryStatus, OrderStatus } from './statuses';

/**
 * WebSocket `/ws/v1/order-tracking/{order_id}`. The tracking token travels in the subprotocol list, so it
 * never appears in a URL: the client offers `pizza-tracking.v1` and `token.<T>`, and the server selects
 * `pizza-tracking.v1`. `?token=T` (docs/contract.md) is still accepted for old links.
 */
export const WS_TRACKING_PATH = '/ws/v1/order-tracking/';
export const WS_TRACKING_PROTOCOL = 'pizza-tracking.v1';
export const WS_TOKEN_PROTOCOL_PREFIX = 'token.';
export const WS_CLOSE_NOT_FOUND = 4404;
/** Too many connections from this client address: close it and retry later. */
export const WS_CLOSE_TOO_MANY_CONNECTIONS = 4429;
/** The gateway holds all the connections it takes (RFC 6455 "Try Again Later"). */
export const WS_CLOSE_TRY_AGAIN_LATER = 1013;

/** The subprotocols a tracking client offers: the tracking protocol, and the token (base64url, a valid one). */
export function trackingProtocols(token: string): string[] {
  return [WS_TRACKING_PROTOCOL, `${WS_TOKEN_PROTOCOL_PREFIX}${token}`];
}

export const StatusMessage = z.object({
  type: z.literal('status'),
  order_id: z.string(),
  status: OrderStatus,
  delivery_status: DeliveryStatus.nullable(),
  at: z.string(),
  event_id: z.string(),
});
export type StatusMessage = z.infer<typeof StatusMessage>;

export const ErrorMessage = z.object({ type: z.literal('error'), code: z.string(), message: z.string() });
export type ErrorMessage = z.infer<typeof ErrorMessage>;

export const TrackingMessage = z.discriminatedUnion('type', [StatusMessage, ErrorMessage]);
export type TrackingMessage = z.infer<typeof TrackingMessage>;
