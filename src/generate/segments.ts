/**
 * The customer segments of the synthetic storefront and what sets them apart
 * (docs/generator.md tells the whole generative story). Rates are per day.
 */

/** How one kind of customer behaves. */
export interface Segment {
  name: string;
  /** Share of all customers. */
  share: number;
  /** Expected sessions per day at engagement 1, before seasonality. */
  sessionRate: number;
  /** Probability that a session puts something in the cart. */
  cartProbability: number;
  /** Probability that a cart is checked out and the checkout becomes an order. */
  checkoutProbability: number;
  orderProbability: number;
  /** Median item price. */
  medianPrice: number;
  /** Mean daily drift of log-engagement (negative: interest fades). */
  engagementDrift: number;
  /** Daily churn hazard of a content customer at their starting engagement. */
  baseHazard: number;
  /** Share of the segment whom a coupon wins back (engagement up, frustration down). */
  couponResponsiveShare: number;
  /** Probability that an order goes wrong (late, damaged, wrong item). */
  badExperienceProbability: number;
}

export const SEGMENTS: readonly Segment[] = [
  {
    name: 'loyal',
    share: 0.18,
    sessionRate: 0.3,
    cartProbability: 0.45,
    checkoutProbability: 0.7,
    orderProbability: 0.8,
    medianPrice: 45,
    engagementDrift: -0.0004,
    baseHazard: 0.0002,
    couponResponsiveShare: 0.2,
    badExperienceProbability: 0.05,
  },
  {
    name: 'regular',
    share: 0.32,
    sessionRate: 0.16,
    cartProbability: 0.35,
    checkoutProbability: 0.65,
    orderProbability: 0.7,
    medianPrice: 35,
    engagementDrift: -0.0015,
    baseHazard: 0.0006,
    couponResponsiveShare: 0.4,
    badExperienceProbability: 0.07,
  },
  {
    name: 'deal_seeker',
    share: 0.2,
    sessionRate: 0.14,
    cartProbability: 0.3,
    checkoutProbability: 0.55,
    orderProbability: 0.55,
    medianPrice: 22,
    engagementDrift: -0.002,
    baseHazard: 0.0009,
    couponResponsiveShare: 0.85,
    badExperienceProbability: 0.07,
  },
  {
    name: 'occasional',
    share: 0.3,
    sessionRate: 0.06,
    cartProbability: 0.3,
    checkoutProbability: 0.6,
    orderProbability: 0.65,
    medianPrice: 40,
    engagementDrift: -0.0025,
    baseHazard: 0.0012,
    couponResponsiveShare: 0.3,
    badExperienceProbability: 0.08,
  },
];

export const CATEGORIES = ['electronics', 'fashion', 'home', 'beauty', 'books', 'sports', 'toys', 'grocery'] as const;

/** Session channels (the three the features know), then the channels of emails and support tickets. */
export const CHANNELS = ['web', 'app', 'social', 'email', 'chat', 'phone'] as const;
