/**
 * "Subscribe and save" as the simulated store launches it: who signs up and when, the browsing
 * a subscriber stops, and the deliveries every four weeks up to the end of the log.
 */
import { describe, expect, it } from 'vitest';
import { launchSubscriptions } from '../../../plugin/simulation/subscription-drift.js';
import type { ChurnEvent } from '../../../src/events/types.js';
import { hashPosition } from '../../../src/train/hash-position.js';

const DAY = 86_400_000;
const LAUNCH = 10 * DAY;
const BROWSING = ['session_start', 'page_view', 'search', 'add_to_cart', 'remove_from_cart', 'checkout_start'];

const event = (customerId: string, day: number, type: string, extra: Partial<ChurnEvent> = {}): ChurnEvent => ({ customerId, ts: day * DAY, type, ...extra });
const delivery = (customerId: string, day: number): ChurnEvent => ({ customerId, ts: day * DAY, type: 'order', value: 30, quantity: 1, category: 'grocery' });

describe('launching subscriptions', () => {
  it('signs a customer who ordered before the launch up at their first order after it, and delivers every 28 days up to the log\'s end', () => {
    const events = [
      event('a', 0, 'order', { value: 50 }),
      event('a', 12, 'session_start'),
      event('a', 12.5, 'checkout_start'),
      event('a', 12.5, 'order', { value: 40 }),
      ...BROWSING.map((type) => event('a', 20, type)),
      event('a', 21, 'support_ticket'),
      event('a', 30, 'order', { value: 70 }),
      event('end', 96.5, 'page_view'),
    ];
    const drifted = launchSubscriptions(events, { startMs: LAUNCH, share: 1, cancelChance: 0 });
    expect(drifted.filter((row) => row.customerId === 'a')).toEqual([
      events[0],
      events[1],
      events[2],
      events[3],
      event('a', 21, 'support_ticket'),
      event('a', 30, 'order', { value: 70 }),
      delivery('a', 40.5),
      delivery('a', 68.5),
      delivery('a', 96.5),
    ]);
  });

  it('leaves alone customers whose first order came at or after the launch', () => {
    const events = [event('b', 10, 'order'), event('b', 11, 'page_view'), event('b', 12, 'order'), event('b', 13, 'page_view'), event('b', 80, 'page_view')];
    expect(launchSubscriptions(events, { startMs: LAUNCH, share: 1, cancelChance: 0 })).toEqual(events);
  });

  it('signs up the documented default share, 0.35 of those who ordered before, with orders worth 30', () => {
    const ids = Array.from({ length: 120 }, (_, index) => `customer-${index}`);
    const events = [...ids.map((id) => event(id, 1, 'order')), ...ids.map((id) => event(id, 15, 'order')), event('end', 44, 'page_view')];
    const subscribers = new Set(launchSubscriptions(events, { startMs: LAUNCH, cancelChance: 0 }).filter((row) => row.ts === 43 * DAY).map((row) => row.customerId));
    expect(subscribers).toEqual(new Set(ids.filter((id) => hashPosition(`subscribe\u0000${id}`) < 0.35)));
    expect(subscribers.size).toBeGreaterThan(20);
    expect(launchSubscriptions(events, { startMs: LAUNCH, share: 1, cancelChance: 0 }).find((row) => row.ts === 43 * DAY)?.value).toBe(30);
  });

  it('ends a subscription at its first cancellation: no deliveries after it', () => {
    const cancel = (id: string, delivery: number) => hashPosition(`cancel\u0000${id}\u0000${delivery}`);
    // A customer who cancels before the first delivery by a small margin, and by none of the next two draws.
    const id = Array.from({ length: 500 }, (_, index) => `c${index}`).find((candidate) => cancel(candidate, 1) < Math.min(cancel(candidate, 2), cancel(candidate, 3)) - 0.01)!;
    const cancelChance = cancel(id, 1) + 0.005;
    const events = [event(id, 0, 'order'), event(id, 12, 'order'), event('end', 100, 'page_view')];
    expect(launchSubscriptions(events, { startMs: LAUNCH, share: 1, cancelChance })).toEqual(events);
  });
});
