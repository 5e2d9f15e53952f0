/**
 * The simulator's hidden response to retention actions: the four response types follow the
 * documented dependence on behaviour (docs/uplift.md), and adding them changes nothing in
 * the event stream `churnkit generate` writes for a seed.
 */
import { describe, expect, it } from 'vitest';
import { generateEvents } from '../../src/generate/index.js';
import {
  expectedUplift,
  leaveProbability,
  responseShares,
  responseType,
  retainedGiven,
  upliftOf,
} from '../../src/generate/response-types.js';
import { RetentionWorld, type DecisionTruth } from '../../src/generate/retention-world.js';
import { CONTENT_CUSTOMER } from './content-customer.js';

const content = CONTENT_CUSTOMER;

describe('response shares', () => {
  it('make a coupon persuade customers whose behaviour shows they seek discounts far more often than others', () => {
    // Once they have redeemed a coupon, any customer counts as a discount seeker.
    expect(responseShares('coupon', { ...content, segment: 'loyal', couponRedemptions: 1 }).persuadable).toBeCloseTo(0.55, 12);
    // Before that, their segment's taste for coupons: 0.04 + 0.51 × the segment's coupon-responsive share.
    expect(responseShares('coupon', { ...content, segment: 'deal_seeker' }).persuadable).toBeCloseTo(0.04 + 0.51 * 0.85, 12);
    expect(responseShares('coupon', { ...content, segment: 'loyal' }).persuadable).toBeCloseTo(0.04 + 0.51 * 0.2, 12);
  });

  it('leave the hidden coupon-responsive trait out of the response: nothing a store records shows it', () => {
    expect(responseShares('coupon', { ...content, couponResponsive: true })).toEqual(responseShares('coupon', content));
  });

  it('make money offers pull less on customers gone cold, and less again once their fade has begun', () => {
    const responsive = { ...content, couponRedemptions: 2 };
    const cold = responseShares('coupon', { ...responsive, daysSinceLastOrder: 45 + 75 }).persuadable;
    expect(cold).toBeCloseTo(0.55 * 0.65, 12);
    expect(responseShares('coupon', { ...responsive, daysSinceLastOrder: 400 }).persuadable).toBeCloseTo(0.55 * 0.3, 12);
    expect(responseShares('free_shipping', { ...content, leaving: true }).persuadable).toBeLessThan(responseShares('free_shipping', content).persuadable);
    expect(responseShares('coupon', { ...responsive, leaving: true }).persuadable).toBeCloseTo(0.55 * 0.35, 12);
  });

  it('make free shipping persuade small baskets more than large ones', () => {
    const small = responseShares('free_shipping', { ...content, typicalItemPrice: 15 }).persuadable;
    const medium = responseShares('free_shipping', { ...content, typicalItemPrice: 30 }).persuadable;
    const large = responseShares('free_shipping', { ...content, typicalItemPrice: 60 }).persuadable;
    expect(small).toBeCloseTo(0.35, 12);
    expect(large).toBeCloseTo(0.05, 12);
    expect(medium).toBeGreaterThan(large);
    expect(medium).toBeLessThan(small);
  });

  it('make a care call persuade customers with complaints, and wake quietly lapsed ones', () => {
    expect(responseShares('care_call', content).persuadable).toBeCloseTo(0.06, 12);
    expect(responseShares('care_call', { ...content, badExperiences: 1 }).persuadable).toBeCloseTo(0.285, 12);
    expect(responseShares('care_call', { ...content, badExperiences: 5 }).persuadable).toBeCloseTo(0.51, 12);
    expect(responseShares('care_call', { ...content, daysSinceLastOrder: 90 }).sleepingDog).toBeCloseTo(0.2, 12);
    expect(responseShares('care_call', { ...content, daysSinceLastOrder: 90, badExperiences: 1 }).sleepingDog).toBeCloseTo(0.02, 12);
    expect(responseShares('coupon', content).sleepingDog).toBeLessThan(0.02);
  });
});

describe('response types', () => {
  const shares = { persuadable: 0.3, sleepingDog: 0.1 };

  it('split leavers into persuadables and lost causes, stayers into sleeping dogs and sure things, by the personal draw', () => {
    expect(responseType(true, 0.29, shares)).toBe('persuadable');
    expect(responseType(true, 0.3, shares)).toBe('lost_cause');
    expect(responseType(false, 0.9, shares)).toBe('sleeping_dog');
    expect(responseType(false, 0.89, shares)).toBe('sure_thing');
  });

  it('decide who is retained, with and without the action', () => {
    expect([retainedGiven('persuadable', true), retainedGiven('persuadable', false)]).toEqual([1, 0]);
    expect([retainedGiven('sleeping_dog', true), retainedGiven('sleeping_dog', false)]).toEqual([0, 1]);
    expect([retainedGiven('sure_thing', true), retainedGiven('lost_cause', true)]).toEqual([1, 0]);
    expect(['persuadable', 'sure_thing', 'lost_cause', 'sleeping_dog'].map((type) => upliftOf(type as never))).toEqual([1, 0, 0, -1]);
  });

  it('give an expected uplift of P(leave) × persuadable share − P(stay) × sleeping-dog share', () => {
    expect(expectedUplift(0.4, shares)).toBeCloseTo(0.4 * 0.3 - 0.6 * 0.1, 12);
    expect(leaveProbability({ ...content, leaving: true }, 30)).toBe(1);
    expect(leaveProbability(content, 30)).toBeCloseTo(1 - 0.999 ** 30, 12);
  });
});

describe('the retention world', () => {
  it('hands out exactly the events churnkit generate writes for the same seed', () => {
    const options = { customers: 300, days: 60, seed: 5 };
    const world = new RetentionWorld({ ...options, horizonDays: 30 });
    const fromWorld = [];
    for (let day = 0; day < options.days; day++) fromWorld.push(...world.simulateDay(day).events);
    expect(fromWorld).toEqual([...generateEvents(options)]);
  });

  it('gives the same answer key for the same seed, and visitors in the order they first came', () => {
    const answers = () => {
      const world = new RetentionWorld({ customers: 400, days: 40, seed: 9, horizonDays: 20 });
      const seen: string[] = [];
      for (let day = 0; day < 40; day++) {
        const { visitors } = world.simulateDay(day);
        for (let index = 1; index < visitors.length; index++) expect(visitors[index]!.firstSessionMs).toBeGreaterThanOrEqual(visitors[index - 1]!.firstSessionMs);
        if (day === 39) for (const visitor of visitors) seen.push(`${visitor.customerId}:${JSON.stringify(world.truth(visitor.customer, day))}`);
      }
      return seen;
    };
    const first = answers();
    expect(first.length).toBeGreaterThan(10);
    expect(answers()).toEqual(first);
  });

  it('makes response types depend on behaviour as documented, across a simulated store', () => {
    const world = new RetentionWorld({ customers: 6000, days: 200, seed: 2, horizonDays: 30 });
    const considered: DecisionTruth[] = [];
    for (let day = 0; day < 200; day++) {
      const { visitors } = world.simulateDay(day);
      if (day >= 150 && day % 5 === 0) for (const visitor of visitors) considered.push(world.truth(visitor.customer, day));
    }
    const share = (rows: DecisionTruth[], test: (truth: DecisionTruth) => boolean) => rows.filter(test).length / rows.length;
    const leavers = considered.filter((truth) => truth.wouldLeave);
    const stayers = considered.filter((truth) => !truth.wouldLeave);
    const couponPersuadable = (truth: DecisionTruth) => truth.actions.coupon.type === 'persuadable';
    const carePersuadable = (truth: DecisionTruth) => truth.actions.care_call.type === 'persuadable';
    expect(leavers.length).toBeGreaterThan(300);
    // Deal seekers seek discounts: coupons persuade far more of them than of loyal customers (loyal
    // customers who have redeemed a coupon count as discount seekers too, which narrows the gap).
    expect(share(leavers.filter((truth) => truth.behaviour.segment === 'deal_seeker'), couponPersuadable)).toBeGreaterThan(
      1.5 * share(leavers.filter((truth) => truth.behaviour.segment === 'loyal'), couponPersuadable),
    );
    // A care call persuades leavers with a complaint far more often than those without.
    expect(share(leavers.filter((truth) => truth.behaviour.badExperiences > 0), carePersuadable)).toBeGreaterThan(
      2 * share(leavers.filter((truth) => truth.behaviour.badExperiences === 0), carePersuadable),
    );
    // It wakes about a fifth of the quietly lapsed stayers, and few others.
    const lapsedQuietly = stayers.filter((truth) => truth.behaviour.badExperiences === 0 && truth.behaviour.daysSinceLastOrder > 60);
    expect(share(lapsedQuietly, (truth) => truth.actions.care_call.type === 'sleeping_dog')).toBeGreaterThan(0.15);
    expect(share(lapsedQuietly, (truth) => truth.actions.care_call.type === 'sleeping_dog')).toBeLessThan(0.25);
    // Whoever is already fading would leave.
    expect(considered.filter((truth) => truth.behaviour.leaving).every((truth) => truth.wouldLeave)).toBe(true);
  });

  it('refuses days out of order and answer keys for a day that is not the latest', () => {
    const world = new RetentionWorld({ customers: 50, days: 10, seed: 1, horizonDays: 5 });
    expect(() => world.simulateDay(1)).toThrow(/expected day 0/);
    world.simulateDay(0);
    world.simulateDay(1);
    expect(() => world.truth(0, 0)).toThrow(/day simulated last \(1\)/);
    expect(() => new RetentionWorld({ customers: 50, days: 10, seed: 1, horizonDays: 0 })).toThrow(/horizonDays/);
  });
});
