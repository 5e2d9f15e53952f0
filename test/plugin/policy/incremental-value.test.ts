/**
 * The incremental-value policy, run through the real `decide` against a real SQLite store:
 * uplift × customer value − cost where an action's model is trusted, today's expected value
 * below the threshold, and the budget, cooldown, cap, eligibility, hold-out and exploration
 * rules all still holding.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIN_ARM_DECISIONS, isTrusted } from '../../../plugin/policy/action-value.js';
import { createBudgetRefusals } from '../../../plugin/policy/budget-refusals.js';
import { decide, type PolicySettings } from '../../../plugin/policy/decide.js';
import type { ActionSpec } from '../../../plugin/policy/expected-value.js';
import { assignGroup } from '../../../plugin/policy/holdout.js';
import { openSqliteStore } from '../../../plugin/store/sqlite-store.js';
import type { ChurnStore } from '../../../plugin/store/types.js';
import type { RawRecord } from '../../../src/model/feature-spec.js';
import type { UpliftModel } from '../../../src/uplift/uplift-model.js';
import { action, DAY, NOW } from './policy-fixtures.js';

const SALT = 'churnkit';

/** An uplift model whose prediction is read from the customer's `uplift_<action>` feature. */
function upliftModel(name: string, decisions = 5000, holdoutDecisions = 1000): UpliftModel {
  return {
    action: name,
    method: 't-learner',
    decisions,
    holdoutDecisions,
    versions: [`${name}-test`],
    inputs: [`uplift_${name}`],
    uplift: (record: RawRecord) => Number(record[`uplift_${name}`] ?? Number.NaN),
  };
}

const coupon = action('coupon', 10, 0.3);
const care = action('care', 4, 0.12);

function settings(overrides: Partial<PolicySettings> = {}, models: UpliftModel[] = [upliftModel('coupon'), upliftModel('care')]): PolicySettings {
  return {
    actions: [coupon, care],
    capWindowMs: 30 * DAY,
    dailyBudget: Infinity,
    holdoutFraction: 0,
    holdoutSalt: SALT,
    customerValue: () => 100,
    uplift: { models: new Map(models.map((model) => [model.action, model])), minDecisions: 2000 },
    ...overrides,
  };
}

/** Customer ids in the treatment (or hold-out) group for `fraction`. */
function idsIn(group: 'treatment' | 'holdout', fraction: number, count: number): string[] {
  const ids: string[] = [];
  for (let n = 0; ids.length < count; n++) if (assignGroup(`c${n}`, fraction, SALT) === group) ids.push(`c${n}`);
  return ids;
}

describe('the incremental-value policy', () => {
  let folder: string;
  let store: ChurnStore;
  const run = (policy: PolicySettings, customerId: string, features: RawRecord, churnProbability = 0.5, now = NOW, refusals = createBudgetRefusals()) =>
    decide(policy, store, { customerId, churnProbability, features, modelVersion: 'm1', now }, (work) => work, refusals);

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'churnkit-uplift-policy-'));
    store = openSqliteStore({ dataDir: folder, durability: 'normal' });
  });
  afterEach(async () => {
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('values a trusted action at predicted uplift × customer value − cost, and says so', async () => {
    const result = await run(settings(), 'c1', { uplift_coupon: 0.2, uplift_care: 0.05 });
    // coupon 0.2 × 100 − 10 = 10; care 0.05 × 100 − 4 = 1
    expect(result.decision.expectedValues.coupon).toBeCloseTo(10, 10);
    expect(result.decision.expectedValues.care).toBeCloseTo(1, 10);
    expect(result.action?.name).toBe('coupon');
    expect(result.decision.explanation).toBe('coupon: EV 10.00 > care 1.00 > none [by uplift: coupon, care]');
  });

  it('acts on a persuadable at low risk and leaves a high-risk lost cause and a sleeping dog alone', async () => {
    const policy = settings();
    const persuadable = await run(policy, 'low-risk', { uplift_coupon: 0.3, uplift_care: 0 }, 0.05);
    const lostCause = await run(policy, 'lost-cause', { uplift_coupon: 0, uplift_care: 0 }, 0.95);
    const sleepingDog = await run(policy, 'sleeping-dog', { uplift_coupon: -0.2, uplift_care: -0.1 }, 0.4);
    expect(persuadable.action?.name).toBe('coupon');
    expect(lostCause.action).toBeNull();
    expect(sleepingDog.action).toBeNull();
    expect(lostCause.logged || sleepingDog.logged).toBe(false);
  });

  it('falls back to expected value for an action whose model learned from fewer decisions than the threshold', async () => {
    const policy = settings({}, [upliftModel('coupon', 1999, 500), upliftModel('care')]);
    const result = await run(policy, 'c1', { uplift_coupon: 0.9, uplift_care: 0.05 }, 0.5);
    // coupon by expected value: 0.5 × 100 × 0.3 − 10 = 5, not 0.9 × 100 − 10
    expect(result.decision.expectedValues.coupon).toBeCloseTo(5, 10);
    expect(result.decision.explanation).toContain('[by uplift: care]');
  });

  it('trusts a model only with enough decisions in each arm, whatever the total', () => {
    expect(isTrusted(upliftModel('coupon', 2000, 500), 2000)).toBe(true);
    expect(isTrusted(upliftModel('coupon', 1999, 500), 2000)).toBe(false);
    expect(isTrusted(upliftModel('coupon', 50_000, MIN_ARM_DECISIONS - 1), 2000)).toBe(false);
    expect(isTrusted(upliftModel('coupon', 50_000, 50_000 - MIN_ARM_DECISIONS + 1), 2000)).toBe(false);
  });

  it('falls back to expected value for an action without a model, or when a prediction is not a number', async () => {
    const withoutCare = await run(settings({}, [upliftModel('coupon')]), 'c1', { uplift_coupon: 0.2 }, 0.5);
    expect(withoutCare.decision.expectedValues.care).toBeCloseTo(0.5 * 100 * 0.12 - 4, 10);
    const unreadable = await run(settings(), 'c2', { uplift_coupon: 'n/a', uplift_care: 0.05 }, 0.5);
    expect(unreadable.decision.expectedValues.coupon).toBeCloseTo(0.5 * 100 * 0.3 - 10, 10);
  });

  it('keeps to the daily budget: the next best action, then nothing, once it is spent', async () => {
    const policy = settings({ dailyBudget: 24 });
    const refusals = createBudgetRefusals();
    const features = { uplift_coupon: 0.3, uplift_care: 0.2 };
    const first = await run(policy, 'c1', features, 0.5, NOW, refusals);
    const second = await run(policy, 'c2', features, 0.5, NOW, refusals);
    const third = await run(policy, 'c3', features, 0.5, NOW, refusals);
    const fourth = await run(policy, 'c4', features, 0.5, NOW, refusals);
    expect([first, second, third, fourth].map((result) => result.action?.name ?? null)).toEqual(['coupon', 'coupon', 'care', null]);
    expect(third.decision.skipped.coupon).toMatch(/^budget/);
    expect(await store.spent('2026-11-23')).toBe(24);
  });

  it('respects cooldown, the cap and eligibility as the risk policy does', async () => {
    const capped = settings({
      actions: [action('coupon', 10, 0.3, { cooldownMs: 3 * DAY, maxPerCustomer: 2 }), action('care', 4, 0.12, { eligibility: [{ feature: 'log_refunds_total', atMost: 0 }] })],
    });
    const features = { uplift_coupon: 0.3, uplift_care: 0.2, log_refunds_total: 1 };
    const first = await run(capped, 'c1', features, 0.5, NOW);
    const inCooldown = await run(capped, 'c1', features, 0.5, NOW + DAY);
    const second = await run(capped, 'c1', features, 0.5, NOW + 4 * DAY);
    const atCap = await run(capped, 'c1', features, 0.5, NOW + 8 * DAY);
    expect(first.action?.name).toBe('coupon');
    expect(inCooldown.action).toBeNull();
    expect(inCooldown.decision.skipped.coupon).toMatch(/^cooldown/);
    expect(inCooldown.decision.skipped.care).toMatch(/^ineligible: .*\(rule: log_refunds_total <= 0\)/);
    expect(second.action?.name).toBe('coupon');
    expect(atCap.decision.skipped.coupon).toMatch(/^cap: already issued 2 of 2/);
  });

  it('logs a hold-out customer\'s would-be action at no cost, only while the treated arm could still afford it', async () => {
    const policy = settings({ holdoutFraction: 0.5, dailyBudget: 10 });
    const [treated] = idsIn('treatment', 0.5, 1);
    const [heldOut, heldOutLater] = idsIn('holdout', 0.5, 2);
    const refusals = createBudgetRefusals();
    const features = { uplift_coupon: 0.3, uplift_care: -1 };
    const before = await run(policy, heldOut!, features, 0.5, NOW, refusals);
    expect(before).toMatchObject({ group: 'holdout', action: null, logged: true, decision: { action: 'coupon', cost: 0 } });
    expect((await run(policy, treated!, features, 0.5, NOW, refusals)).action?.name).toBe('coupon');
    const after = await run(policy, heldOutLater!, features, 0.5, NOW, refusals);
    expect(after.logged).toBe(false);
    expect(after.decision.skipped.coupon).toMatch(/^budget/);
    expect(await store.spent('2026-11-23')).toBe(10);
  });

  it('logs the features each decision was made on when asked to', async () => {
    const features = { uplift_coupon: 0.3, uplift_care: 0, recency_days: 40, device: 'app', broken: Number.NaN };
    await run(settings({ logFeatures: true }), 'logged', features);
    await run(settings(), 'unlogged', features);
    const [logged] = await store.decisionsSince('logged', 0);
    const [unlogged] = await store.decisionsSince('unlogged', 0);
    expect(logged!.features).toEqual({ uplift_coupon: 0.3, uplift_care: 0, recency_days: 40, device: 'app', broken: null });
    expect(unlogged!.features).toBeUndefined();
  });

  it('explores the stated share of customer-days, with an action drawn among the allowed ones, the same way on every run', async () => {
    const policy = settings({ exploration: { rate: 0.1, salt: 'explore' } });
    // Nothing pays for anyone: every logged decision is an exploration.
    const features = { uplift_coupon: -0.5, uplift_care: -0.5 };
    const customers = 3000;
    const explored: string[] = [];
    const picks = { coupon: 0, care: 0 };
    for (let n = 0; n < customers; n++) {
      const result = await run(policy, `c${n}`, features);
      if (!result.logged) continue;
      explored.push(`c${n}`);
      picks[result.decision.action as 'coupon' | 'care']++;
      expect(result.decision.explored).toBe(true);
      expect(result.decision.explanation).toMatch(/^explored (coupon|care) at random \(rate 0.1\); none > /);
    }
    // Binomial(3000, 0.1): mean 300, sd 16.4; four sd either way.
    expect(explored.length).toBeGreaterThan(300 - 66);
    expect(explored.length).toBeLessThan(300 + 66);
    expect(Math.abs(picks.coupon - picks.care)).toBeLessThan(4 * Math.sqrt(explored.length));
    const again: string[] = [];
    const fresh = openSqliteStore({ dataDir: folder, fileName: 'again.sqlite', durability: 'normal' });
    try {
      for (let n = 0; n < customers; n++) {
        const result = await decide(policy, fresh, { customerId: `c${n}`, churnProbability: 0.5, features, modelVersion: 'm1', now: NOW }, (work) => work);
        if (result.logged) again.push(`c${n}`);
      }
    } finally {
      await fresh.close();
    }
    expect(again).toEqual(explored);
  });

  it('does not explore at rate 0, nor an action the customer may not receive', async () => {
    const none = await run(settings({ exploration: { rate: 0, salt: 'x' } }), 'c1', { uplift_coupon: -1, uplift_care: -1 });
    expect(none.logged).toBe(false);
    const onlyCare = settings({
      exploration: { rate: 1, salt: 'x' },
      actions: [action('coupon', 10, 0.3, { eligibility: [{ feature: 'vip', atLeast: 1 }] }), care],
    });
    for (let n = 0; n < 20; n++) expect((await run(onlyCare, `d${n}`, { uplift_coupon: -1, uplift_care: -1 })).decision.action).toBe('care');
  });
});
