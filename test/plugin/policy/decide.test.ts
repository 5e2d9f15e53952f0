import { describe, expect, it } from 'vitest';
import { createBudgetRefusals } from '../../../plugin/policy/budget-refusals.js';
import { decide, decisionsWindowStart, type DecisionStore, type PolicySettings } from '../../../plugin/policy/decide.js';
import { previewDecision } from '../../../plugin/policy/preview-decision.js';
import type { ChurnStore, Decision, RepeatLimits, RepeatRefusal } from '../../../plugin/store/types.js';

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

/** A store that has seen no decision of the customer, and whose write answers `answerFor(action)`, keeping the limits it was given. */
function refusingStore(answerFor: (action: string) => boolean | RepeatRefusal): { store: DecisionStore; limits: Map<string, RepeatLimits | undefined> } {
  const limits = new Map<string, RepeatLimits | undefined>();
  const store: DecisionStore = {
    decisionsSince: async () => [],
    spent: async () => 0,
    recordDecision: async (decision, _dailyBudget, given) => {
      limits.set(decision.action!, given);
      return answerFor(decision.action!);
    },
  };
  return { store, limits };
}

describe('decide when the store finds the action logged meanwhile (another request, another instance)', () => {
  const input = { customerId: 'c1', churnProbability: 0.8, features: {}, modelVersion: 'v', now: NOW };
  const day = '2026-11-23';

  it("gives the store each action's cooldown and cap as the ranking applied them", async () => {
    const { store, limits } = refusingStore(() => true);
    await decide({ ...settings, actions: [{ ...settings.actions[0]!, maxPerCustomer: 2 }] }, store, input, (work) => work);
    expect(limits.get('coupon')).toEqual({ cooldownAfter: NOW - 7 * DAY, capSince: NOW - 30 * DAY, maxPerCustomer: 2 });
  });

  it('skips it with the reason in words, tries the next action, and does not remember a budget refusal', async () => {
    const { store } = refusingStore((action) => (action === 'coupon' ? 'cooldown' : true));
    const refusals = createBudgetRefusals();
    const result = await decide({ ...settings, dailyBudget: 100 }, store, input, (work) => work, refusals);
    expect(result.action?.name).toBe('care');
    expect(result.decision.skipped.coupon).toBe('cooldown: issued moments ago by another request, cooldown 7 days');
    expect(result.decision.explanation).toMatch(/skipped coupon \(cooldown: issued moments ago by another request/);
    expect(refusals.refuses(day, 5, 100)).toBe(false);
  });

  it('names the cap when that is what the logged decisions reached', async () => {
    const { store } = refusingStore((action) => (action === 'coupon' ? 'cap' : true));
    const capped = { ...settings, actions: [{ ...settings.actions[0]!, maxPerCustomer: 2 }, settings.actions[1]!] };
    const result = await decide(capped, store, input, (work) => work);
    expect(result.decision.skipped.coupon).toBe('cap: 2 already issued, the last moments ago by another request');
  });

  it('issues nothing when every paying action was logged meanwhile', async () => {
    const { store } = refusingStore(() => 'cooldown');
    const result = await decide(settings, store, input, (work) => work);
    expect(result).toMatchObject({ action: null, logged: false });
    expect(Object.keys(result.decision.skipped).sort()).toEqual(['care', 'coupon']);
  });

  it('takes a store written before the limits at its word: true recorded, false over budget', async () => {
    const { store } = refusingStore((action) => action !== 'coupon');
    const refusals = createBudgetRefusals();
    const result = await decide({ ...settings, dailyBudget: 100 }, store, input, (work) => work, refusals);
    expect(result.action?.name).toBe('care');
    expect(result.decision.skipped.coupon).toMatch(/^budget:/);
    expect(refusals.refuses(day, 5, 100)).toBe(true);
  });
});

describe('previewDecision', () => {
  it('answers the cooldown as the store would, from a decision logged after the history was read, and writes nothing', async () => {
    let reads = 0;
    const store: Pick<ChurnStore, 'decisionsSince' | 'spent'> = {
      // The policy's read finds nothing; by the dry-run write's read, a coupon was logged.
      decisionsSince: async () => (reads++ === 0 ? [] : [issued('coupon', NOW - 60_000)]),
      spent: async () => 0,
    };
    const result = await previewDecision(settings, store, { customerId: 'c1', churnProbability: 0.8, features: {}, modelVersion: 'v', now: NOW });
    expect(result.action?.name).toBe('care');
    expect(result.decision.skipped.coupon).toMatch(/^cooldown: issued moments ago by another request/);
  });

  it('reads the cap window again for its dry-run write, finding a coupon logged meanwhile that reaches a cap with no cooldown', async () => {
    const once = { ...settings, actions: [{ ...settings.actions[0]!, cooldownMs: 0, maxPerCustomer: 1 }, settings.actions[1]!] };
    let reads = 0;
    const store: Pick<ChurnStore, 'decisionsSince' | 'spent'> = {
      // The policy's read finds nothing; by the dry-run write's read, a coupon a minute old was logged.
      // Read as a store reads: only decisions at or after the time asked.
      decisionsSince: async (_customerId, sinceTs) => (reads++ === 0 ? [] : [issued('coupon', NOW - 60_000)].filter((decision) => decision.ts >= sinceTs)),
      spent: async () => 0,
    };
    const result = await previewDecision(once, store, { customerId: 'c1', churnProbability: 0.8, features: {}, modelVersion: 'v', now: NOW });
    expect(result.action?.name).toBe('care');
    expect(result.decision.skipped.coupon).toBe('cap: 1 already issued, the last moments ago by another request');
  });
});
