import { z } from 'zod';
import { Cents } from './money';
import { DeliveryStatus, OrderStatus } from './statuses';
import { visibleText } from './text';

/** Request and response bodies of the public HTTP API (docs/contract.md). All JSON is snake_case. */

export const LIMITS = {
  maxLines: 20,
  maxQuantity: 50,
  nameMax: 100,
  addressMax: 300,
  itemIdMax: 64,
} as const;

export const MenuItem = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  /** Price in integer cents. */
  price: Cents,
  stock: z.number().int().nonnegative(),
  category: z.enum(['pizza', 'drink']),
  /** The level the stock refill restores. */
  target_stock: z.number().int().nonnegative(),
});
export type MenuItem = z.infer<typeof MenuItem>;

export const MenuResponse = z.object({ items: z.array(MenuItem) });
export type MenuResponse = z.infer<typeof MenuResponse>;

export const OrderLineInput = z.strictObject({
  item_id: z.string().trim().min(1).max(LIMITS.itemIdMax),
  quantity: z.number().int().min(1).max(LIMITS.maxQuantity),
});

export const CreateOrderRequest = z.strictObject({
  items: z.array(OrderLineInput).min(1).max(LIMITS.maxLines),
  customer: z.strictObject({
    name: visibleText({ max: LIMITS.nameMax }),
    address: visibleText({ max: LIMITS.addressMax, lineBreaks: true }),
  }),
});
export type CreateOrderRequest = z.infer<typeof CreateOrderRequest>;

export const OrderLine = z.object({
  item_id: z.string(),
  name: z.string(),
  quantity: z.number().int().positive(),
  unit_price: Cents,
  line_total: Cents,
});
export type OrderLine = z.infer<typeof OrderLine>;

export const TimelineEntry = z.object({ status: OrderStatus, at: z.string() });
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const DeliverySummary = z.object({
  id: z.string(),
  status: DeliveryStatus,
  updated_at: z.string(),
});
export type DeliverySummary = z.infer<typeof DeliverySummary>;

export const OrderView = z.object({
  id: z.string(),
  status: OrderStatus,
  items: z.array(OrderLine),
  /** Total in integer cents, computed on the server. */
  total: Cents,
  customer: z.object({ name: z.string(), address: z.string() }),
  created_at: z.string(),
  timeline: z.array(TimelineEntry),
  delivery: DeliverySummary.nullable(),
});
export type OrderView = z.infer<typeof OrderView>;

export const CreatedOrder = OrderView.extend({ tracking_token: z.string() });
export type CreatedOrder = z.infer<typeof CreatedOrder>;

export const ERROR_CODES = [
  'validation_error',
  'out_of_stock',
  'not_found',
  'not_cancellable',
  'idempotency_key_reused',
  'unsupported_media_type',
  'payload_too_large',
  'unauthorized',
  'rate_limited',
  'not_ready',
  'overloaded',
  'internal_error',
  'demo_load_running',
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** `details` of a 409 out_of_stock. */
export const OutOfStockDetails = z.object({
  items: z.array(z.object({ item_id: z.string(), requested: z.number().int(), available: z.number().int() })),
});

/** `details` of a 400 validation_error: one entry per offending field. */
export const ValidationDetails = z.array(z.object({ path: z.string(), message: z.string() }));

export const DeadLetterSummary = z.object({
  id: z.string(),
  original_stream: z.string(),
  /** The consumer group that gave up on the entry: one entry can fail in several groups. */
  group: z.string(),
  event_type: z.string(),
  attempts: z.number().int(),
  last_error: z.string(),
  failed_at: z.string(),
});
export const DeadLettersResponse = z.object({ count: z.number().int(), items: z.array(DeadLetterSummary) });
export type DeadLettersResponse = z.infer<typeof DeadLettersResponse>;
