import { z } from 'zod';

/** Order lifecycle: created → confirmed → preparing → out_for_delivery → delivered, or cancelled. */
export const ORDER_STATUSES = ['created', 'confirmed', 'preparing', 'out_for_delivery', 'delivered', 'cancelled'] as const;
export const OrderStatus = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof OrderStatus>;

/** Delivery lifecycle: waiting → on_the_way → delivered. */
export const DELIVERY_STATUSES = ['waiting', 'on_the_way', 'delivered'] as const;
export const DeliveryStatus = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** A delivery status's place in the lifecycle: a later status has a higher rank. */
export function deliveryRank(status: DeliveryStatus): number {
  return DELIVERY_STATUSES.indexOf(status);
}
