import type { HiddenBehaviour } from '../../src/generate/storefront-simulation.js';

/** A content regular: no coupon taste, no bad experience, an order 10 days ago, a calm hazard. Tests vary one field at a time. */
export const CONTENT_CUSTOMER: HiddenBehaviour = {
  segment: 'regular',
  couponResponsive: false,
  couponRedemptions: 0,
  badExperiences: 0,
  daysSinceLastOrder: 10,
  typicalItemPrice: 35,
  leaving: false,
  dailyHazard: 0.001,
};
