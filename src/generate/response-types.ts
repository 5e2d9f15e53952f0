/**
 * The hidden response of simulated customers to the retention actions the demo offers:
 * how a coupon, free shipping or a call from customer care changes whether a customer
 * stays. The four response types of uplift modelling follow from two facts:
 *
 * - would the customer decide to leave within the horizon if nothing is done?
 * - if so, does the action keep them (persuadable) or not (lost cause); if not, does the
 *   action drive them away (sleeping dog) or change nothing (sure thing)?
 *
 * Both shares depend on behaviour a store can partly observe (deal-seeking, complaints,
 * basket size, recency) plus a personal draw; docs/uplift.md has the table. Pure
 * functions of their inputs, so any policy can be scored against the same answer key.
 */
import type { HiddenBehaviour } from './storefront-simulation.js';

/** The actions the simulated store can take, in a fixed order (the response draws follow it). */
export const RETENTION_ACTIONS = ['coupon', 'free_shipping', 'care_call'] as const;
export type RetentionAction = (typeof RETENTION_ACTIONS)[number];

export type ResponseType = 'persuadable' | 'sure_thing' | 'lost_cause' | 'sleeping_dog';

/** How an action splits customers: shares of would-be leavers it keeps and of would-be stayers it loses. */
export interface ResponseShares {
  /** Among customers who would leave without the action: the share it keeps. */
  persuadable: number;
  /** Among customers who would stay without the action: the share it drives away. */
  sleepingDog: number;
}

/** A coupon keeps a coupon-responsive leaver this often; anyone else, rarely. */
const COUPON_RESPONSIVE_PERSUADABLE = 0.55;
const COUPON_OTHER_PERSUADABLE = 0.04;
/** Free shipping matters for small baskets: from this share at a typical item price of 45 and above... */
const SHIPPING_BASE_PERSUADABLE = 0.05;
/** ...up to this much more at small baskets (a typical item price of 18 and below). */
const SHIPPING_SMALL_BASKET_PERSUADABLE = 0.3;
const SHIPPING_FULL_PRICE = 45;
const SHIPPING_SMALL_PRICE = 18;
/** A care call keeps a leaver with no complaint this often, plus this much more per bad experience (up to two). */
const CARE_BASE_PERSUADABLE = 0.06;
const CARE_PER_BAD_EXPERIENCE = 0.225;
/** Money offers lose their pull on customers who have not ordered for this long... */
const OFFER_RECENCY_DAYS = 45;
/** ...falling linearly to this fraction of it 150 days later. */
const OFFER_COLD_FLOOR = 0.3;
const OFFER_COLD_SPAN_DAYS = 150;
/** A customer whose fade has already begun is harder to keep: offers keep this fraction, a call this fraction. */
const LEAVING_OFFER_FACTOR = 0.35;
const LEAVING_CARE_FACTOR = 0.6;
/** Sleeping dogs: a care call reminds a quietly lapsed customer with no complaint to leave. */
const CARE_SLEEPING_DOG_LAPSED = 0.2;
const CARE_SLEEPING_DOG_OTHER = 0.02;
const CARE_LAPSED_DAYS = 60;
/** A coupon or free shipping drives a stayer away only rarely (trained to wait for discounts). */
const COUPON_SLEEPING_DOG = 0.01;
const SHIPPING_SLEEPING_DOG = 0.005;

/**
 * The response shares of one action for a customer as they are today.
 *
 * @example
 * responseShares('care_call', { ...behaviour, badExperiences: 2 }).persuadable; // 0.51 (0.306 if leaving)
 */
export function responseShares(action: RetentionAction, behaviour: HiddenBehaviour): ResponseShares {
  switch (action) {
    case 'coupon': {
      const base = behaviour.couponResponsive ? COUPON_RESPONSIVE_PERSUADABLE : COUPON_OTHER_PERSUADABLE;
      return { persuadable: base * offerPull(behaviour), sleepingDog: COUPON_SLEEPING_DOG };
    }
    case 'free_shipping': {
      const smallBasket = clamp01(
        Math.log(SHIPPING_FULL_PRICE / behaviour.typicalItemPrice) / Math.log(SHIPPING_FULL_PRICE / SHIPPING_SMALL_PRICE),
      );
      const base = SHIPPING_BASE_PERSUADABLE + SHIPPING_SMALL_BASKET_PERSUADABLE * smallBasket;
      return { persuadable: base * offerPull(behaviour), sleepingDog: SHIPPING_SLEEPING_DOG };
    }
    case 'care_call': {
      const base = CARE_BASE_PERSUADABLE + CARE_PER_BAD_EXPERIENCE * Math.min(2, behaviour.badExperiences);
      const lapsedQuietly = behaviour.badExperiences === 0 && behaviour.daysSinceLastOrder > CARE_LAPSED_DAYS;
      return {
        persuadable: base * (behaviour.leaving ? LEAVING_CARE_FACTOR : 1),
        sleepingDog: lapsedQuietly ? CARE_SLEEPING_DOG_LAPSED : CARE_SLEEPING_DOG_OTHER,
      };
    }
  }
}

/**
 * The response type, from whether the customer would leave and their personal draw in
 * [0, 1) for this action: a low draw makes a leaver persuadable, a high draw makes a
 * stayer a sleeping dog, so one customer is consistently easy or hard to sway.
 *
 * @example
 * responseType(true, 0.1, { persuadable: 0.3, sleepingDog: 0.02 }); // 'persuadable'
 */
export function responseType(wouldLeave: boolean, draw: number, shares: ResponseShares): ResponseType {
  if (wouldLeave) return draw < shares.persuadable ? 'persuadable' : 'lost_cause';
  return draw >= 1 - shares.sleepingDog ? 'sleeping_dog' : 'sure_thing';
}

/** Retained within the horizon (1) or not (0), given the response type and whether the action was taken. */
export function retainedGiven(type: ResponseType, treated: boolean): 0 | 1 {
  switch (type) {
    case 'sure_thing':
      return 1;
    case 'lost_cause':
      return 0;
    case 'persuadable':
      return treated ? 1 : 0;
    case 'sleeping_dog':
      return treated ? 0 : 1;
  }
}

/** Extra retained customers an action brings for this type: +1, 0 or -1. */
export function upliftOf(type: ResponseType): -1 | 0 | 1 {
  return type === 'persuadable' ? 1 : type === 'sleeping_dog' ? -1 : 0;
}

/**
 * What the action is worth on average for a customer as they are today, knowing their
 * hidden state but not the future: P(leave) × persuadable share − P(stay) × sleeping-dog share.
 */
export function expectedUplift(leaveProbability: number, shares: ResponseShares): number {
  return leaveProbability * shares.persuadable - (1 - leaveProbability) * shares.sleepingDog;
}

/**
 * Probability of deciding to leave within `horizonDays`, from today's hazard held constant
 * (an approximation: frustration fades and engagement drifts over the horizon); 1 once the
 * fade has begun.
 */
export function leaveProbability(behaviour: HiddenBehaviour, horizonDays: number): number {
  return behaviour.leaving ? 1 : 1 - (1 - Math.min(1, behaviour.dailyHazard)) ** horizonDays;
}

/** Money offers pull less on customers who have gone cold, and less on one who is already leaving. */
function offerPull(behaviour: HiddenBehaviour): number {
  const coldDays = Math.max(0, behaviour.daysSinceLastOrder - OFFER_RECENCY_DAYS);
  const recency = Math.max(OFFER_COLD_FLOOR, 1 - ((1 - OFFER_COLD_FLOOR) * coldDays) / OFFER_COLD_SPAN_DAYS);
  return recency * (behaviour.leaving ? LEAVING_OFFER_FACTOR : 1);
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
