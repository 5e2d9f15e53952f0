/**
 * The simulator's answer key at the edges docs/uplift.md states: the exact shares at the
 * documented prices, days and counts, the horizon's bounds, the visitors of a day, and whether
 * a customer would leave within the horizon, day for day against when their fade begins.
 */
import { describe, expect, it } from 'vitest';
import { leaveProbability, responseShares } from '../../src/generate/response-types.js';
import { RetentionWorld, type DecisionTruth } from '../../src/generate/retention-world.js';
import { CONTENT_CUSTOMER } from './content-customer.js';

const content = CONTENT_CUSTOMER;

describe('response shares at the documented bounds', () => {
  it('give free shipping 0.05 at a typical item price of 45, 0.35 at 18, and log-linear in between', () => {
    expect(responseShares('free_shipping', { ...content, typicalItemPrice: 45 }).persuadable).toBeCloseTo(0.05, 12);
    expect(responseShares('free_shipping', { ...content, typicalItemPrice: 18 }).persuadable).toBeCloseTo(0.35, 12);
    expect(responseShares('free_shipping', { ...content, typicalItemPrice: 30 }).persuadable).toBeCloseTo(0.05 + (0.3 * Math.log(45 / 30)) / Math.log(45 / 18), 12);
  });

  it('keep a money offer\'s full pull up to 45 days since the last order, and fall to × 0.3 at 195 days', () => {
    const seeker = { ...content, couponRedemptions: 1 };
    expect(responseShares('coupon', { ...seeker, daysSinceLastOrder: 45 }).persuadable).toBeCloseTo(0.55, 12);
    expect(responseShares('coupon', { ...seeker, daysSinceLastOrder: 46 }).persuadable).toBeCloseTo(0.55 * (1 - 0.7 / 150), 12);
    expect(responseShares('coupon', { ...seeker, daysSinceLastOrder: 195 }).persuadable).toBeCloseTo(0.55 * 0.3, 12);
    expect(responseShares('coupon', { ...seeker, daysSinceLastOrder: 170 }).persuadable).toBeCloseTo(0.55 * (1 - (0.7 * 125) / 150), 12);
  });

  it('give a call × 0.6 for a customer already leaving: 0.306 with two bad experiences', () => {
    expect(responseShares('care_call', { ...content, badExperiences: 2, leaving: true }).persuadable).toBeCloseTo(0.306, 12);
    expect(responseShares('care_call', { ...content, badExperiences: 2 }).persuadable).toBeCloseTo(0.51, 12);
  });

  it('count a customer as quietly lapsed only after more than 60 days without an order', () => {
    expect(responseShares('care_call', { ...content, daysSinceLastOrder: 60 }).sleepingDog).toBeCloseTo(0.02, 12);
    expect(responseShares('care_call', { ...content, daysSinceLastOrder: 61 }).sleepingDog).toBeCloseTo(0.2, 12);
  });

  it('make a coupon a sleeping dog for 0.01 of stayers and free shipping for 0.005, whatever the customer', () => {
    for (const behaviour of [content, { ...content, daysSinceLastOrder: 300, leaving: true, badExperiences: 2 }]) {
      expect(responseShares('coupon', behaviour).sleepingDog).toBe(0.01);
      expect(responseShares('free_shipping', behaviour).sleepingDog).toBe(0.005);
    }
  });

  it('make a daily hazard of 1 or more a certain leave', () => {
    expect(leaveProbability({ ...content, dailyHazard: 1.5 }, 2)).toBe(1);
    expect(leaveProbability({ ...content, dailyHazard: 1 }, 3)).toBe(1);
  });
});

describe('the retention world at its edges', () => {
  it('takes a horizon of 1 to 3650 whole days and refuses others', () => {
    const world = { customers: 10, days: 3, seed: 1 };
    expect(new RetentionWorld({ ...world, horizonDays: 3650 }).horizonDays).toBe(3650);
    expect(new RetentionWorld({ ...world, horizonDays: 1 }).horizonDays).toBe(1);
    for (const horizonDays of [3651, 2.5, 0]) expect(() => new RetentionWorld({ ...world, horizonDays })).toThrow(/horizonDays/);
  });

  it('refuses to simulate a day past its last', () => {
    const world = new RetentionWorld({ customers: 20, days: 2, seed: 1, horizonDays: 3 });
    world.simulateDay(0);
    world.simulateDay(1);
    expect(() => world.simulateDay(2)).toThrow(/from 0 to 1/);
  });

  it('lists each customer with a session that day once, at the start of their first session', () => {
    const world = new RetentionWorld({ customers: 400, days: 30, seed: 3, horizonDays: 10 });
    let visits = 0;
    for (let day = 0; day < 30; day++) {
      const { events, visitors } = world.simulateDay(day);
      const firstSession = new Map<string, number>();
      for (const event of events) if (event.type === 'session_start' && !firstSession.has(event.customerId)) firstSession.set(event.customerId, event.ts);
      expect(visitors.map((visitor) => [visitor.customerId, visitor.firstSessionMs])).toEqual([...firstSession]);
      for (const visitor of visitors) expect(world.customerIds[visitor.customer]).toBe(visitor.customerId);
      visits += visitors.length;
    }
    expect(visits).toBeGreaterThan(500);
  });

  it('gives the probability of leaving within the world\'s own horizon', () => {
    const world = new RetentionWorld({ customers: 200, days: 20, seed: 4, horizonDays: 7 });
    let checked = 0;
    for (let day = 0; day < 20; day++) {
      for (const visitor of world.simulateDay(day).visitors) {
        const truth = world.truth(visitor.customer, day);
        expect(truth.leaveProbability).toBe(leaveProbability(truth.behaviour, 7));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('has a customer who would leave within the horizon exactly when their fade begins by the end of it', () => {
    const days = 90;
    const horizon = 10;
    const world = new RetentionWorld({ customers: 1500, days, seed: 6, horizonDays: horizon });
    const considered: { customer: number; day: number; wouldLeave: boolean }[] = [];
    const fadeDay = new Map<number, number>();
    const watched = new Set<number>();
    for (let day = 0; day < days; day++) {
      const { visitors } = world.simulateDay(day);
      for (const customer of watched) {
        if (!fadeDay.has(customer) && world.truth(customer, day).behaviour.leaving) fadeDay.set(customer, day);
      }
      if (day >= 30 && day < days - horizon && day % 3 === 0) {
        for (const visitor of visitors) {
          const truth = world.truth(visitor.customer, day);
          if (truth.behaviour.leaving) continue;
          considered.push({ customer: visitor.customer, day, wouldLeave: truth.wouldLeave });
          watched.add(visitor.customer);
        }
      }
    }
    const fadeAt = (customer: number) => fadeDay.get(customer) ?? Number.POSITIVE_INFINITY;
    for (const { customer, day, wouldLeave } of considered) expect([customer, day, wouldLeave]).toEqual([customer, day, fadeAt(customer) <= day + horizon]);
    // The last day of the horizon counts, and the boundary is met in this world.
    expect(considered.filter(({ customer, day }) => fadeAt(customer) === day + horizon).length).toBeGreaterThan(0);
  });

  it('counts a customer who decided to leave on the first day as one who would leave', () => {
    const world = new RetentionWorld({ customers: 3000, days: 5, seed: 2, horizonDays: 3 });
    world.simulateDay(0);
    const fading = world.customerIds.map((_, customer) => world.truth(customer, 0)).filter((truth) => truth.behaviour.leaving);
    expect(fading.length).toBeGreaterThan(0);
    for (const truth of fading) expect(truth.wouldLeave).toBe(true);
  });

  it('knows on its last day who would leave within a horizon reaching past it', () => {
    const world = new RetentionWorld({ customers: 1500, days: 60, seed: 7, horizonDays: 30 });
    const last: DecisionTruth[] = [];
    for (let day = 0; day < 60; day++) {
      const { visitors } = world.simulateDay(day);
      if (day === 59) for (const visitor of visitors) last.push(world.truth(visitor.customer, day));
    }
    const notYetLeaving = last.filter((truth) => !truth.behaviour.leaving);
    expect(notYetLeaving.filter((truth) => truth.wouldLeave).length).toBeGreaterThan(0);
  });

  it('draws each customer\'s response to each action on its own: one action\'s type does not fix another\'s', () => {
    const world = new RetentionWorld({ customers: 3000, days: 120, seed: 8, horizonDays: 30 });
    const leavers: DecisionTruth[] = [];
    for (let day = 0; day < 120; day++) {
      const { visitors } = world.simulateDay(day);
      if (day >= 60 && day % 10 === 0) for (const visitor of visitors) {
        const truth = world.truth(visitor.customer, day);
        if (truth.wouldLeave) leavers.push(truth);
      }
    }
    // With one draw shared by all actions, a leaver persuaded by the action with the smaller share
    // would be persuaded by the one with the larger share too.
    const crossed = leavers.filter(({ actions: { coupon, care_call: call } }) =>
      (coupon.type === 'persuadable' && call.type === 'lost_cause' && call.shares.persuadable >= coupon.shares.persuadable) ||
      (call.type === 'persuadable' && coupon.type === 'lost_cause' && coupon.shares.persuadable >= call.shares.persuadable),
    );
    expect(leavers.length).toBeGreaterThan(200);
    expect(crossed.length).toBeGreaterThan(0);
  });
});
