import { z } from 'zod';

/** Money is an integer number of cents everywhere; it is never a float. */
export const Cents = z.number().int().nonnegative();
export type Cents = z.infer<typeof Cents>;

export function formatCents(cents: number, currency = 'USD', locale = 'en-US'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(cents / 100);
}
