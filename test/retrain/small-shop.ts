import type { ChurnEvent } from '../../src/events/types.js';

const DAY = 86_400_000;

/**
 * 400 days of eight customers: four order every five days throughout, four stop after 100
 * days. Long enough for every cut-off, both classes at each, but far from enough customers.
 */
export function smallShopEvents(): ChurnEvent[] {
  const start = Date.parse('2025-09-01T10:00:00Z');
  return Array.from({ length: 8 }, (_, customer) => customer).flatMap((customer) =>
    Array.from({ length: customer < 4 ? 80 : 20 }, (_, i) => ({ customerId: `c${customer}`, ts: start + i * 5 * DAY, type: 'order', value: 20 })),
  );
}
