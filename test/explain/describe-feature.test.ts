import { describe, expect, it } from 'vitest';
import { describeRuleFailure } from '../../src/explain/describe-feature.js';
import { describeFeature, displaysOf } from '../../src/index.js';
import { formatDuration, formatNumber, formatProbability } from '../../src/explain/readable-number.js';
import { FEATURE_NAMES } from '../../src/features/feature-definitions.js';
import { EVENT_FEATURE_DISPLAY } from '../../src/features/feature-display.js';
import { applyEvent, createCustomerState, featuresAt } from '../../src/features/online-state.js';
import { generateEvents } from '../../src/generate/index.js';
import type { ModelMetadata } from '../../src/model/model-file-schema.js';

describe('numbers a person reads', () => {
  it('gives non-integers two decimals, so values side by side line up (157.57 beside 109.63, not 109.627)', () => {
    expect(formatNumber(157.5712)).toBe('157.57');
    expect(formatNumber(109.627)).toBe('109.63');
    expect(formatNumber(0.6931471805599453)).toBe('0.69');
    expect(formatNumber(3)).toBe('3');
    expect(formatNumber(12345.5)).toBe('12,345.50');
    expect(formatNumber(2.5, 0)).toBe('3');
    expect(formatNumber(-1234567.891)).toBe('-1,234,567.89');
    expect(formatNumber(-0.001)).toBe('0.00');
  });

  it('names what is not a number instead of printing NaN', () => {
    expect(formatNumber(Number.NaN)).toBe('not a number');
    expect(formatNumber(Infinity)).toBe('infinite');
    expect(formatNumber(-Infinity)).toBe('-infinite');
    expect(formatProbability(0)).toBe('0 %');
  });

  it('shows probabilities near 0 % or 100 % with enough decimals to tell them apart', () => {
    const nearlyCertain = [0.9999979734420776, 0.9999955892562866, 0.9999942779541016, 0.999991774559021];
    expect(nearlyCertain.map(formatProbability)).toEqual(['99.9998 %', '99.9996 %', '99.9994 %', '99.9992 %']);
    expect(formatProbability(0.4321)).toBe('43.2 %');
    expect(formatProbability(0.996)).toBe('99.6 %');
    expect(formatProbability(0.0004)).toBe('0.04 %');
    expect(formatProbability(0.99999999)).toBe('> 99.9999 %');
    expect(formatProbability(1)).toBe('100 %');
    expect(formatProbability(Number.NaN)).toBe('not a probability');
  });

  it('writes durations in the largest whole unit', () => {
    expect(formatDuration(3 * 86_400_000)).toBe('3 days');
    expect(formatDuration(86_400_000)).toBe('1 day');
    expect(formatDuration(5_400_000)).toBe('2 hours');
    expect(formatDuration(45_000)).toBe('45 seconds');
    expect(formatDuration(200)).toBe('0 seconds');
  });

  it('writes a negative duration in the unit of its size, singular for minus one, and an infinite one as forever', () => {
    expect(formatDuration(-3 * 86_400_000)).toBe('-3 days');
    expect(formatDuration(-3_600_000)).toBe('-1 hour');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('forever');
  });
});

describe("a feature in a shop owner's words", () => {
  it('turns log-scaled counts back into the count: log_refunds_total = 0.6931471805599453 is one refund', () => {
    expect(describeFeature('log_refunds_total', 0.6931471805599453)).toBe('1 refund so far');
    expect(describeFeature('log_refunds_total', Math.log1p(3))).toBe('3 refunds so far');
    expect(describeFeature('log_refunds_total', 0)).toBe('no refund so far');
  });

  it('says "no activity in the last 30 days" for log_events_30d = 0, and days since as days', () => {
    expect(describeFeature('log_events_30d', 0)).toBe('no activity in the last 30 days');
    expect(describeFeature('days_since_last_event', 157.6118)).toBe('last seen 158 days ago');
    expect(describeFeature('days_since_last_event', 0.2)).toBe('seen today');
    expect(describeFeature('recency_days', null)).toBe('days without an order: unknown');
  });

  it('writes amounts with two decimals and shares as percentages', () => {
    expect(describeFeature('log_revenue_365d', Math.log1p(870.432))).toBe('spent 870.43 in the last 365 days');
    expect(describeFeature('log_revenue_365d', -Math.log1p(20))).toBe('nothing spent in the last 365 days');
    expect(describeFeature('cart_abandonment_rate', 0.4)).toBe('40 % of carts abandoned');
    expect(describeFeature('order_trend_30d', -1)).toBe('no orders in the last 30 days, after some the 30 before');
  });

  it('shows a feature it has no words for as name = value, rounded like every other number', () => {
    expect(describeFeature('Tenure', 12.345)).toBe('Tenure = 12.35');
    expect(describeFeature('PreferredPaymentMode', 'Debit Card')).toBe('PreferredPaymentMode = Debit Card');
    expect(describeFeature('Tenure', null)).toBe('Tenure unknown');
    expect(describeFeature('toString', 1)).toBe('toString = 1');
  });

  it('takes the words from the table it is given, so a model file can bring its own', () => {
    const displays = { Complain: { label: 'complained', cases: [{ atMost: 0, text: 'no complaint' }], text: 'complained' } };
    expect(describeFeature('Complain', 1, displays)).toBe('complained');
    expect(describeFeature('Complain', 0, displays)).toBe('no complaint');
    expect(describeFeature('Complain', true, displays)).toBe('complained');
    expect(describeRuleFailure('Complain', 1, '<=', 0, displays)).toBe('complained (rule: Complain <= 0)');
  });

  it('writes "label: n unit" when an entry has a label and unit but no phrase, and says when the value is unknown', () => {
    const displays = {
      Tenure: { label: 'Tenure', unit: 'months', decimals: 1 },
      CityTier: { label: 'city tier' },
      PreferredPaymentMode: { label: 'payment', text: 'pays by {n}' },
    };
    expect(describeFeature('Tenure', 12.345, displays)).toBe('Tenure: 12.3 months');
    expect(describeFeature('Tenure', null, displays)).toBe('Tenure: unknown');
    expect(describeFeature('Tenure', Number.NaN, displays)).toBe('Tenure: unknown');
    expect(describeFeature('CityTier', 3, displays)).toBe('city tier: 3');
    expect(describeFeature('CityTier', 'north', displays)).toBe('city tier: north');
    expect(describeFeature('PreferredPaymentMode', 'Debit Card', displays)).toBe('pays by Debit Card');
    expect(describeFeature('PreferredPaymentMode', '$& $1', displays)).toBe('pays by $& $1');
  });

  it("reads a model's words over the event features' built-in ones, and the built-in ones for the rest", () => {
    const metadata = { options: { display: { log_refunds_total: { label: 'returns', scale: 'log1p', text: '{n} returns' }, Tenure: { label: 'Tenure', unit: 'months' } } } };
    const displays = displaysOf(metadata as unknown as ModelMetadata);
    expect(describeFeature('log_refunds_total', Math.log1p(2), displays)).toBe('2 returns');
    expect(describeFeature('Tenure', 7, displays)).toBe('Tenure: 7 months');
    expect(describeFeature('log_events_30d', 0, displays)).toBe('no activity in the last 30 days');
    expect(displaysOf({ options: {} } as unknown as ModelMetadata)).toBe(EVENT_FEATURE_DISPLAY);
  });

  it('has words for every event feature, and every phrase of real customers is filled in and finite', () => {
    expect(Object.keys(EVENT_FEATURE_DISPLAY).sort()).toEqual([...FEATURE_NAMES].sort());
    const states = new Map<string, ReturnType<typeof createCustomerState>>();
    let lastTs = 0;
    for (const event of generateEvents({ customers: 60, days: 120, seed: 3, startDate: '2025-01-01' })) {
      states.set(event.customerId, applyEvent(states.get(event.customerId) ?? createCustomerState(), event));
      lastTs = event.ts;
    }
    for (const state of states.values()) {
      const features = featuresAt(state, lastTs);
      for (const name of FEATURE_NAMES) {
        const phrase = describeFeature(name, features[name]);
        expect(phrase).not.toMatch(/\{n\}|NaN|Infinity|infinite|-0\b|= /);
      }
    }
  });

  it('never tells of an order or a page the customer did not have: a visitor who only viewed pages, with no visit recorded', () => {
    const now = Date.UTC(2026, 0, 10, 12);
    let state = createCustomerState();
    for (let i = 0; i < 5; i++) state = applyEvent(state, { customerId: 'browser', ts: now - 60_000 * (5 - i), type: 'page_view' });
    const phrases = FEATURE_NAMES.map((name) => describeFeature(name, featuresAt(state, now)[name]));
    expect(phrases.filter((phrase) => /\bordered\b|no page viewed$/.test(phrase))).toEqual(['has never ordered']);
    expect(phrases).toContain('under a day without an order');
  });
});
