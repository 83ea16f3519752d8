import { z } from 'zod';
import { DELIVERY_LIFECYCLE, ORDER_LIFECYCLE, statusesOf } from './lifecycle';

/** The statuses and their zod enums, derived from the lifecycles (lifecycle.ts). */
export const ORDER_STATUSES = statusesOf(ORDER_LIFECYCLE);
export const OrderStatus = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const DELIVERY_STATUSES = statusesOf(DELIVERY_LIFECYCLE);
export const DeliveryStatus = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** The steps the simulator drives, as the simulate and status_simulated events name them. */
export const SimulatedOrderStatus = z.enum(ORDER_LIFECYCLE.simulated);
export type SimulatedOrderStatus = z.infer<typeof SimulatedOrderStatus>;
export const SimulatedDeliveryStatus = z.enum(DELIVERY_LIFECYCLE.simulated);
export type SimulatedDeliveryStatus = z.infer<typeof SimulatedDeliveryStatus>;

/** The first status of each: what `order.created` and `delivery.created` report. */
export const FIRST_ORDER_STATUS = ORDER_LIFECYCLE.happyPath[0];
export const FIRST_DELIVERY_STATUS = DELIVERY_LIFECYCLE.happyPath[0];
