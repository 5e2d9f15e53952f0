/**
 * The generative story of the synthetic storefront (docs/generator.md), one
 * day at a time for every customer. Per-customer state lives in typed arrays,
 * so memory grows with the number of customers, never with the number of
 * events written.
 */
import { DayBatch, EVENT_CODE } from './day-batch.js';
import { RandomSource } from './random-source.js';
import { CATEGORIES, CHANNELS, SEGMENTS } from './segments.js';
import type { ResolvedStorefrontOptions } from './storefront-options.js';
import { DAY_MS } from '../events/day.js';

/** What really happened to one customer: the answer key that tests check models against. */
export interface CustomerTruth {
  customerId: string;
  segment: string;
  signedUpMs: number;
  /** Start of the day the customer silently left (after their last visit; may lie past the simulated days when
   *  they were already leaving at the end); null when they never decided to leave. */
  churnedMs: number | null;
  /** Whether a coupon wins this customer back. */
  couponResponsive: boolean;
  /** Orders that went wrong (each raised the churn hazard). */
  badExperiences: number;
  orders: number;
}

/**
 * What the simulator knows about one customer on one day, beyond anything a store can
 * observe: the inputs of the hidden response model (`response-types.ts`) and of the oracle.
 */
export interface HiddenBehaviour {
  segment: string;
  couponResponsive: boolean;
  /** Orders that went wrong so far (each usually followed by a ticket, refund or bad review). */
  badExperiences: number;
  /** Days since the last order, or since sign-up for a customer who never ordered. */
  daysSinceLastOrder: number;
  /** The customer's typical item price (the median of their log-normal prices). */
  typicalItemPrice: number;
  /** True once the customer has decided to leave (the fade has started). */
  leaving: boolean;
  /** Today's probability of deciding to leave; 0 once the customer has decided. */
  dailyHazard: number;
}

const LAST_SECOND = 86_399;
const NONE = DayBatch.NO_CODE;
const NO_VALUE = DayBatch.NO_VALUE;
const CHANNEL = Object.fromEntries(CHANNELS.map((name, code) => [name, code])) as Record<(typeof CHANNELS)[number], number>;

// Churn hazard = base · grievance · exp(ENGAGEMENT_LOSS_EFFECT · engagement lost since sign-up) · (1 + FRUSTRATION_EFFECT · frustration).
// Frustration is the fresh anger after a bad experience and fades; grievance is what stays for good.
const ENGAGEMENT_LOSS_EFFECT = 2.5;
const FRUSTRATION_EFFECT = 12;
/** Frustration halves in about ten weeks. */
const FRUSTRATION_DECAY = 0.99;
/** Each bad experience adds this much to the lasting grievance multiplier (which starts at 1). */
const GRIEVANCE_PER_BAD_EXPERIENCE = 0.8;
/** A coupon that wins a customer back scales the grievance multiplier by this. */
const GRIEVANCE_AFTER_WIN_BACK = 0.6;
const ENGAGEMENT_VOLATILITY = 0.03;
/** Once a customer has decided to leave, their last visit comes 2 to 8 weeks later while engagement drains. */
const LEAVING_MIN_DAYS = 14;
const LEAVING_SPREAD_DAYS = 43;
const LEAVING_DRIFT = -0.04;
/** Spread of the customers' own engagement drift around their segment's: some fade fast, some warm up. */
const DRIFT_SPREAD = 0.002;
/** Share of customers already there on the first day; the rest sign up over the run. */
const INITIAL_CUSTOMER_SHARE = 0.3;
/** Retention campaign: every 4 weeks, customers with no order in 45 days (plus a few at random) get a 2-week coupon. */
const CAMPAIGN_EVERY_DAYS = 28;
const CAMPAIGN_LAPSED_DAYS = 45;
const CAMPAIGN_RANDOM_SHARE = 0.05;
const COUPON_VALID_DAYS = 14;
/** Marketing emails go out on Tuesdays and Fridays. */
const EMAIL_WEEKDAYS = new Set([2, 5]);

/** Simulates the storefront day by day; call `simulateDay` for 0, 1, 2, ... in order. */
export class StorefrontSimulation {
  readonly customerIds: string[];
  private readonly random: RandomSource;
  private readonly options: ResolvedStorefrontOptions;
  private readonly segment: Uint8Array;
  private readonly signupDay: Int32Array;
  private readonly churnDay: Int32Array;
  /** The day each customer decided to leave (their fade began), -1 while they have not. */
  private readonly leaveDay: Int32Array;
  private readonly engagement: Float64Array;
  private readonly startingEngagement: Float64Array;
  private readonly drift: Float64Array;
  private readonly frustration: Float64Array;
  private readonly grievance: Float64Array;
  private readonly responsive: Uint8Array;
  private readonly prefersApp: Uint8Array;
  private readonly favouriteCategory: Int8Array;
  private readonly priceLevel: Float64Array;
  private readonly proneness: Float64Array;
  private readonly couponUntilDay: Int32Array;
  private readonly lastOrderDay: Int32Array;
  private readonly badExperiences: Int32Array;
  private readonly orders: Int32Array;
  // Follow-ups of an order, due on a later day (one pending of each kind per customer is plenty).
  private readonly ticketDay: Int32Array;
  private readonly refundDay: Int32Array;
  private readonly refundValue: Float64Array;
  private readonly reviewDay: Int32Array;
  private readonly reviewRating: Int8Array;

  constructor(options: ResolvedStorefrontOptions) {
    this.options = options;
    this.random = new RandomSource(options.seed);
    const count = options.customers;
    const width = Math.max(6, String(count).length);
    this.customerIds = Array.from({ length: count }, (_, index) => `C${String(index + 1).padStart(width, '0')}`);
    this.segment = new Uint8Array(count);
    this.signupDay = new Int32Array(count);
    this.churnDay = new Int32Array(count).fill(-1);
    this.leaveDay = new Int32Array(count).fill(-1);
    this.engagement = new Float64Array(count);
    this.startingEngagement = new Float64Array(count);
    this.drift = new Float64Array(count);
    this.frustration = new Float64Array(count);
    this.grievance = new Float64Array(count).fill(1);
    this.responsive = new Uint8Array(count);
    this.prefersApp = new Uint8Array(count);
    this.favouriteCategory = new Int8Array(count);
    this.priceLevel = new Float64Array(count);
    this.proneness = new Float64Array(count);
    this.couponUntilDay = new Int32Array(count).fill(-1);
    this.lastOrderDay = new Int32Array(count).fill(-1);
    this.badExperiences = new Int32Array(count);
    this.orders = new Int32Array(count);
    this.ticketDay = new Int32Array(count).fill(-1);
    this.refundDay = new Int32Array(count).fill(-1);
    this.refundValue = new Float64Array(count);
    this.reviewDay = new Int32Array(count).fill(-1);
    this.reviewRating = new Int8Array(count);
    for (let customer = 0; customer < count; customer++) this.createCustomer(customer);
  }

  /** Appends day `day`'s events (any customer, in time order) to the cleared `batch`. */
  simulateDay(day: number, batch: DayBatch): void {
    batch.clear();
    const date = new Date(this.options.startMs + day * DAY_MS);
    const weekday = date.getUTCDay();
    const seasonality = seasonalFactor(date) * (weekday === 0 || weekday === 6 ? 1.15 : 0.95);
    const emailDay = EMAIL_WEEKDAYS.has(weekday);
    const campaignDay = day % CAMPAIGN_EVERY_DAYS === CAMPAIGN_EVERY_DAYS / 2;
    const random = this.random;
    for (let customer = 0; customer < this.options.customers; customer++) {
      const signup = this.signupDay[customer]!;
      if (signup > day) continue;
      const segment = SEGMENTS[this.segment[customer]!]!;
      const churnDay = this.churnDay[customer]!;
      const alive = churnDay < 0 || day < churnDay;
      if (churnDay < 0) {
        // Leaving is a fade, not a switch: interest drains for a few weeks before the last visit.
        if (random.uniform() < this.dailyHazard(customer)) {
          this.leaveDay[customer] = day;
          this.churnDay[customer] = day + LEAVING_MIN_DAYS + random.integer(LEAVING_SPREAD_DAYS);
        }
      }
      if (campaignDay) {
        const lastOrder = this.lastOrderDay[customer]!;
        const lapsed = day - (lastOrder >= 0 ? lastOrder : signup) > CAMPAIGN_LAPSED_DAYS;
        if (lapsed || random.chance(CAMPAIGN_RANDOM_SHARE)) this.couponUntilDay[customer] = day + COUPON_VALID_DAYS;
      }
      if (alive) {
        const leaving = this.churnDay[customer]! >= 0 ? LEAVING_DRIFT : 0;
        this.engagement[customer]! += this.drift[customer]! + leaving + ENGAGEMENT_VOLATILITY * random.normal();
        this.frustration[customer]! *= FRUSTRATION_DECAY;
        const couponBoost = this.couponUntilDay[customer]! >= day && this.responsive[customer] === 1 ? 1.6 : 1;
        let sessions = random.poisson(segment.sessionRate * Math.exp(this.engagement[customer]!) * seasonality * couponBoost);
        // A new customer is seen on the day they sign up.
        if (day === signup && signup > 0 && sessions === 0) sessions = 1;
        for (let session = 0; session < sessions; session++) this.simulateSession(customer, day, batch);
        // Questions unrelated to any order: noise in the complaint signal.
        if (random.chance(0.0008)) batch.push(customer, this.anyTimeOfDay(), EVENT_CODE.support_ticket, NO_VALUE, 0, NONE, 0, CHANNEL.email);
      }
      this.emitFollowUps(customer, day, batch);
      if (emailDay) {
        const openProbability = alive ? 0.06 + 0.22 * Math.min(1, Math.exp(this.engagement[customer]!)) : 0.02;
        if (random.chance(openProbability)) batch.push(customer, this.anyTimeOfDay(), EVENT_CODE.email_open, NO_VALUE, 0, NONE, 0, CHANNEL.email);
      }
    }
    batch.sortByTime();
  }

  /** The day each customer decided to leave so far (-1: not yet), indexed like `customerIds`. */
  leaveDays(): Int32Array {
    return this.leaveDay.slice();
  }

  /** The hidden side of a customer on `day` (after that day was simulated). */
  behaviour(customer: number, day: number): HiddenBehaviour {
    const lastOrder = this.lastOrderDay[customer]!;
    const leaving = this.leaveDay[customer]! >= 0 && this.leaveDay[customer]! <= day;
    return {
      segment: SEGMENTS[this.segment[customer]!]!.name,
      couponResponsive: this.responsive[customer] === 1,
      badExperiences: this.badExperiences[customer]!,
      daysSinceLastOrder: day - (lastOrder >= 0 ? lastOrder : this.signupDay[customer]!),
      typicalItemPrice: Math.exp(this.priceLevel[customer]!),
      leaving,
      dailyHazard: leaving ? 0 : this.dailyHazard(customer),
    };
  }

  /** The answer key; complete once every day has been simulated. */
  truth(): CustomerTruth[] {
    return this.customerIds.map((customerId, customer) => ({
      customerId,
      segment: SEGMENTS[this.segment[customer]!]!.name,
      signedUpMs: this.options.startMs + this.signupDay[customer]! * DAY_MS,
      churnedMs: this.churnDay[customer]! < 0 ? null : this.options.startMs + this.churnDay[customer]! * DAY_MS,
      couponResponsive: this.responsive[customer] === 1,
      badExperiences: this.badExperiences[customer]!,
      orders: this.orders[customer]!,
    }));
  }

  /** Probability that a customer who has not decided to leave decides today (docs/generator.md, step 6). */
  private dailyHazard(customer: number): number {
    const segment = SEGMENTS[this.segment[customer]!]!;
    const lost = Math.max(0, this.startingEngagement[customer]! - this.engagement[customer]!);
    return (
      segment.baseHazard *
      this.grievance[customer]! *
      Math.exp(ENGAGEMENT_LOSS_EFFECT * lost) *
      (1 + FRUSTRATION_EFFECT * this.frustration[customer]!)
    );
  }

  private createCustomer(customer: number): void {
    const random = this.random;
    let pick = random.uniform();
    let segmentIndex = 0;
    while (segmentIndex < SEGMENTS.length - 1 && pick >= SEGMENTS[segmentIndex]!.share) {
      pick -= SEGMENTS[segmentIndex]!.share;
      segmentIndex++;
    }
    const segment = SEGMENTS[segmentIndex]!;
    this.segment[customer] = segmentIndex;
    this.signupDay[customer] = random.chance(INITIAL_CUSTOMER_SHARE) ? 0 : random.integer(this.options.days);
    const engagement = 0.45 * random.normal();
    this.engagement[customer] = engagement;
    this.startingEngagement[customer] = engagement;
    this.drift[customer] = segment.engagementDrift + DRIFT_SPREAD * random.normal();
    this.responsive[customer] = random.chance(segment.couponResponsiveShare) ? 1 : 0;
    this.prefersApp[customer] = random.chance(0.4) ? 1 : 0;
    this.favouriteCategory[customer] = random.integer(CATEGORIES.length);
    this.priceLevel[customer] = Math.log(segment.medianPrice) + 0.3 * random.normal();
    this.proneness[customer] = random.logNormal(0, 0.5);
  }

  private simulateSession(customer: number, day: number, batch: DayBatch): void {
    const random = this.random;
    const segment = SEGMENTS[this.segment[customer]!]!;
    const channel = this.sessionChannel(customer);
    // Evenings are busiest; a quarter of sessions fall anywhere in the day.
    let second = random.chance(0.75) ? Math.round(70_200 + 10_800 * random.normal()) : this.anyTimeOfDay();
    second = Math.min(Math.max(second, 0), LAST_SECOND - 1_800);
    const advance = (low: number, high: number): number => (second = Math.min(LAST_SECOND, second + low + random.integer(high - low)));
    batch.push(customer, second, EVENT_CODE.session_start, NO_VALUE, 0, NONE, 0, channel);
    const pages = 1 + random.poisson(2.5);
    for (let page = 0; page < pages; page++) {
      batch.push(customer, advance(5, 90), EVENT_CODE.page_view, NO_VALUE, 0, this.browsedCategory(customer), 0, channel);
    }
    if (random.chance(0.4)) batch.push(customer, advance(5, 60), EVENT_CODE.search, NO_VALUE, 0, NONE, 0, channel);
    const couponActive = this.couponUntilDay[customer]! >= day;
    const wooed = couponActive && this.responsive[customer] === 1;
    if (!random.chance(segment.cartProbability * (wooed ? 1.3 : 1))) return;
    let cartValue = 0;
    let cartQuantity = 0;
    const category = this.browsedCategory(customer);
    const items = random.chance(0.3) ? 2 : 1;
    for (let item = 0; item < items; item++) {
      const quantity = 1 + random.poisson(0.25);
      const value = roundCents(random.logNormal(this.priceLevel[customer]!, 0.5) * quantity);
      cartValue += value;
      cartQuantity += quantity;
      batch.push(customer, advance(10, 120), EVENT_CODE.add_to_cart, value, quantity, category, 0, channel);
      if (random.chance(0.15)) {
        cartValue -= value;
        cartQuantity -= quantity;
        batch.push(customer, advance(10, 120), EVENT_CODE.remove_from_cart, value, quantity, category, 0, channel);
      }
    }
    if (cartQuantity === 0 || !random.chance(segment.checkoutProbability)) return;
    cartValue = roundCents(cartValue);
    batch.push(customer, advance(20, 180), EVENT_CODE.checkout_start, cartValue, cartQuantity, category, 0, channel);
    if (!random.chance(Math.min(0.98, segment.orderProbability * (wooed ? 1.4 : 1)))) return;
    let orderValue = cartValue;
    if (couponActive && (wooed || random.chance(0.3))) {
      const discount = roundCents(cartValue * (0.1 + 0.1 * random.uniform()));
      orderValue = roundCents(cartValue - discount);
      this.couponUntilDay[customer] = -1;
      batch.push(customer, advance(5, 30), EVENT_CODE.coupon_redeemed, discount, 0, category, 0, channel);
      if (wooed) {
        // The coupon wins the customer back: interest recovers, anger and grievance fade.
        this.engagement[customer] = Math.min(this.engagement[customer]! + 0.5, this.startingEngagement[customer]! + 0.3);
        this.frustration[customer]! *= 0.2;
        this.grievance[customer]! *= GRIEVANCE_AFTER_WIN_BACK;
      }
    }
    batch.push(customer, advance(5, 60), EVENT_CODE.order, orderValue, cartQuantity, category, 0, channel);
    this.orders[customer]!++;
    this.lastOrderDay[customer] = day;
    this.afterOrder(customer, day, orderValue, segment.badExperienceProbability);
  }

  /** A bad experience frustrates (raising the churn hazard) and is often followed by a ticket, a refund or a bad review. */
  private afterOrder(customer: number, day: number, orderValue: number, badExperienceProbability: number): void {
    const random = this.random;
    if (random.chance(badExperienceProbability * this.proneness[customer]!)) {
      this.frustration[customer]! += 1;
      this.grievance[customer]! += GRIEVANCE_PER_BAD_EXPERIENCE;
      this.badExperiences[customer]!++;
      if (random.chance(0.75)) this.ticketDay[customer] = day + 1 + random.integer(3);
      if (random.chance(0.4)) {
        this.refundDay[customer] = day + 2 + random.integer(5);
        this.refundValue[customer] = orderValue;
      }
      if (random.chance(0.5)) {
        this.reviewDay[customer] = day + 3 + random.integer(7);
        this.reviewRating[customer] = 1 + random.integer(2);
      }
      return;
    }
    this.engagement[customer] = Math.min(this.engagement[customer]! + 0.02, this.startingEngagement[customer]! + 0.3);
    if (random.chance(0.12)) {
      this.reviewDay[customer] = day + 3 + random.integer(7);
      this.reviewRating[customer] = random.chance(0.15) ? 3 : 4 + random.integer(2);
    }
  }

  private emitFollowUps(customer: number, day: number, batch: DayBatch): void {
    if (this.ticketDay[customer] === day) {
      const channel = this.random.chance(0.5) ? CHANNEL.email : this.random.chance(0.6) ? CHANNEL.chat : CHANNEL.phone;
      batch.push(customer, this.anyTimeOfDay(), EVENT_CODE.support_ticket, NO_VALUE, 0, NONE, 0, channel);
    }
    if (this.refundDay[customer] === day) {
      batch.push(customer, this.anyTimeOfDay(), EVENT_CODE.refund, this.refundValue[customer]!, 0, NONE, 0, NONE);
    }
    if (this.reviewDay[customer] === day) {
      const rating = this.reviewRating[customer]!;
      // Posting a bad review stokes the grievance once more.
      if (rating <= 2) this.frustration[customer]! += 0.5;
      const category = this.favouriteCategory[customer]!;
      batch.push(customer, this.anyTimeOfDay(), EVENT_CODE.review, NO_VALUE, 0, category, rating, this.sessionChannel(customer));
    }
  }

  private sessionChannel(customer: number): number {
    const pick = this.random.uniform();
    const preferred = this.prefersApp[customer] === 1 ? CHANNEL.app : CHANNEL.web;
    const other = this.prefersApp[customer] === 1 ? CHANNEL.web : CHANNEL.app;
    return pick < 0.7 ? preferred : pick < 0.9 ? other : CHANNEL.social;
  }

  private browsedCategory(customer: number): number {
    return this.random.chance(0.7) ? this.favouriteCategory[customer]! : this.random.integer(CATEGORIES.length);
  }

  private anyTimeOfDay(): number {
    return this.random.integer(LAST_SECOND + 1);
  }
}

/** Gentle yearly wave (peak in spring) plus the late-November–December rush. */
function seasonalFactor(date: Date): number {
  const dayOfYear = (date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY_MS;
  const wave = 1 + 0.2 * Math.sin((2 * Math.PI * (dayOfYear - 10)) / 365.25);
  return dayOfYear >= 325 && dayOfYear <= 358 ? wave + 0.5 : wave;
}

function roundCents(amount: number): number {
  return Math.round(amount * 100) / 100;
}
