/**
 * Every status a tracking client sees for one order that goes the whole way, in order, as
 * "status/delivery_status" (`null` before a delivery exists).
 */
export const TRACKING_SEQUENCE: readonly string[] = [
  'created/null',
  'confirmed/null',
  'preparing/null',
  'out_for_delivery/null',
  'out_for_delivery/waiting',
  'out_for_delivery/on_the_way',
  'out_for_delivery/delivered',
  'delivered/delivered',
];
