import type { ChurnEvent } from '../../src/events/types.js';
import { KNOWN_EVENT_TYPES } from '../../src/events/event-types.js';

/**
 * A small storefront log for tests: every event type (plus one the features do not know),
 * channels, categories, ratings, values, at all hours, over two years, seeded so every run
 * sees the same events. Customers churn at random, some order every few days, some never.
 */
export function syntheticLog(options: { customers: number; seed: number; startMs: number; days: number }): ChurnEvent[] {
  let state = options.seed >>> 0;
  const random = () => {
    // mulberry32: tiny, seeded, good enough to vary a test log.
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const types = [...KNOWN_EVENT_TYPES, 'wishlist_add'];
  const channels = ['web', 'app', 'social', 'email', undefined];
  const categories = ['books', 'music', 'garden', 'toys', 'tools', undefined];
  const events: ChurnEvent[] = [];
  for (let c = 0; c < options.customers; c++) {
    const customerId = `c${String(c).padStart(4, '0')}`;
    let ts = options.startMs + random() * options.days * 86_400_000;
    const endMs = options.startMs + options.days * 86_400_000;
    const lifetimeEnd = ts + random() * options.days * 86_400_000;
    const meanGapMs = (0.05 + random() * 10) * 86_400_000;
    while (ts < Math.min(endMs, lifetimeEnd)) {
      const type = random() < 0.25 ? 'order' : pick(types);
      const event: ChurnEvent = { customerId, ts: Math.round(ts), type };
      if (type === 'order' || type === 'refund') event.value = Math.round(random() * 20000) / 100;
      if (type === 'order' && random() < 0.8) event.quantity = 1 + Math.floor(random() * 4);
      if (type === 'review' && random() < 0.9) event.rating = 1 + Math.floor(random() * 5);
      const channel = pick(channels);
      if (channel) event.channel = channel;
      const category = pick(categories);
      if (category) event.category = category;
      events.push(event);
      ts += -Math.log(1 - random()) * meanGapMs;
    }
  }
  return events.sort((a, b) => a.ts - b.ts);
}
