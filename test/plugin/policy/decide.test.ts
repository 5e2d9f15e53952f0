import { describe, expect, it } from 'vitest';
import { decide, decisionsWindowStart, type PolicySettings } from '../../../plugin/policy/decide.js';
import type { ChurnStore, Decision } from '../../../plugin/store/types.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-23T12:00:00Z');
const settings: PolicySettings = {
  actions: [
    { name: 'coupon', cost: 5, successRate: 0.3, cooldownMs: 7 * DAY, maxPerCustomer: Infinity, eligibility: [] },
    { name: 'care', cost: 1, successRate: 0.1, cooldownMs: 40 * DAY, maxPerCustomer: Infinity, eligibility: [] },
  ],
  capWindowMs: 30 * DAY,
  dailyBudget: Infinity,
  holdoutFraction: 0,
  holdoutSalt: 'test',
  customerValue: () => 100,
};

/** A store that records decisions and counts how often past decisions are read. */
function countingStore(): { store: ChurnStore; historyReads: number } {
  const counts = { store: undefined as unknown as ChurnStore, historyReads: 0 };
  counts.store = {
    decisionsSince: async () => {
      counts.historyReads++;
      return [];
    },
    recordDecision: async () => true,
  } as unknown as ChurnStore;
  return counts;
}

const issued = (action: string, ts: number): Decision => ({
  customerId: 'c1', ts, day: '2026-11-20', modelVersion: 'v', probability: 0.8, customerValue: 100, group: 'treatment',
  action, cost: 5, expectedValues: {}, skipped: {}, explanation: '',
});

describe('decide with the history already read', () => {
  it('looks back as far as the longest cooldown or cap', () => {
    expect(decisionsWindowStart(settings, NOW)).toBe(NOW - 40 * DAY);
  });

  it('uses the history it is given for cooldowns, without reading the store', async () => {
    const counting = countingStore();
    const input = { customerId: 'c1', churnProbability: 0.8, features: {}, modelVersion: 'v', now: NOW };
    const result = await decide(settings, counting.store, { ...input, history: [issued('coupon', NOW - DAY)] }, (work) => work);
    expect(result.action?.name).toBe('care');
    expect(result.decision.skipped.coupon).toMatch(/cooldown/);
    expect(counting.historyReads).toBe(0);
    await decide(settings, counting.store, input, (work) => work);
    expect(counting.historyReads).toBe(1);
  });
});
