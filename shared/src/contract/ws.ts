import { z } from 'zod';
import { DeliveryStatus, OrderStatus } from './statuses';

/** WebSocket `/ws/v1/order-tracking/{order_id}?token=T` (docs/contract.md). */
export const WS_TRACKING_PATH = '/ws/v1/order-tracking/';
export const WS_CLOSE_NOT_FOUND = 4404;

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
