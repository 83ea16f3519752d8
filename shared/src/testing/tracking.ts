import { journeyText, LIFECYCLES, trackingJourney } from '../contract';

/**
 * Every status a tracking client sees for one order that goes the whole way, in order, as
 * "status/delivery_status" (`null` before a delivery exists), derived from the lifecycles.
 */
export const TRACKING_SEQUENCE: readonly string[] = trackingJourney(LIFECYCLES).map((step) =>
  journeyText(step),
);
