/**
 * The synthetic storefront with an answer key for retention actions: the same customers
 * and events as `churnkit generate` for the same seed (byte for byte), plus, for every
 * customer on every day, their hidden response type to each action (response-types.ts).
 *
 * The world is simulated twice. A first, silent pass runs past the last day by the horizon
 * and records when each customer decides to leave: whether someone "would leave within the
 * horizon if nothing is done" is then known on the day they are considered. The second pass
 * hands out the events a day at a time. The response draws come from a random stream of
 * their own, so the event stream never changes. Actions do not feed back into the events:
 * a customer kept by a coupon keeps the trajectory they had (see docs/uplift.md,
 * "assumptions"); simulations therefore consider each customer for one decision.
 */
import type { ChurnEvent } from '../events/types.js';
import { DAY_MS } from '../events/day.js';
import { OptionsError } from '../errors.js';
import { DayBatch, EVENT_CODE } from './day-batch.js';
import { toEvent } from './generate-events.js';
import { RandomSource } from './random-source.js';
import {
  RETENTION_ACTIONS,
  expectedUplift,
  leaveProbability,
  responseShares,
  responseType,
  type ResponseShares,
  type ResponseType,
  type RetentionAction,
} from './response-types.js';
import { StorefrontSimulation, type HiddenBehaviour } from './storefront-simulation.js';
import { resolveStorefrontOptions, type StorefrontOptions } from './storefront-options.js';

/** What to simulate: the storefront's options plus the horizon outcomes are counted over. */
export interface RetentionWorldOptions extends StorefrontOptions {
  /** A customer is retained when they have not decided to leave within this many days of a decision. */
  horizonDays: number;
}

/** A customer who came to the store on a day, in the order they first came. */
export interface Visitor {
  /** Index into `customerIds`. */
  customer: number;
  customerId: string;
  /** Start of their first session that day (epoch ms). */
  firstSessionMs: number;
}

/** One day of the world: its events in time order and its visitors. */
export interface WorldDay {
  events: ChurnEvent[];
  /** The customer index (into `customerIds`) of each event. */
  eventCustomers: Int32Array;
  visitors: Visitor[];
}

/** The answer key for one action, for one customer considered on one day. */
export interface ActionTruth {
  type: ResponseType;
  shares: ResponseShares;
  /** The action's average effect for a customer in this hidden state (the oracle's uplift). */
  expectedUplift: number;
}

/** The answer key for one customer considered on one day. */
export interface DecisionTruth {
  /** Whether the customer decides to leave within the horizon if nothing is done (realised). */
  wouldLeave: boolean;
  /** The probability of it, from their hidden state today. */
  leaveProbability: number;
  behaviour: HiddenBehaviour;
  actions: Record<RetentionAction, ActionTruth>;
}

/** Offset of the response draws' seed, so they never share a stream with the events. */
const RESPONSE_STREAM = 0x7e57ab1e;

/**
 * A storefront whose customers each have a hidden response to each retention action.
 *
 * @example
 * const world = new RetentionWorld({ customers: 2_000, days: 120, seed: 1, horizonDays: 30 });
 * for (let day = 0; day < 120; day++) {
 *   const { events, visitors } = world.simulateDay(day);
 *   for (const visitor of visitors) world.truth(visitor.customer, day).actions.coupon.type;
 * }
 */
export class RetentionWorld {
  readonly customerIds: readonly string[];
  readonly days: number;
  readonly horizonDays: number;
  readonly startMs: number;
  private readonly simulation: StorefrontSimulation;
  private readonly batch = new DayBatch();
  /** When each customer decides to leave, from the silent pass (-1: never, within the run and its horizon). */
  private readonly leaveDays: Int32Array;
  /** Each customer's personal draw per action, in [0, 1): customer-major, RETENTION_ACTIONS order. */
  private readonly draws: Float64Array;
  private nextDay = 0;

  constructor(options: RetentionWorldOptions) {
    const resolved = resolveStorefrontOptions(options);
    const horizonDays = options.horizonDays;
    if (!Number.isInteger(horizonDays) || horizonDays < 1 || horizonDays > 3650) {
      throw new OptionsError('GENERATE_OPTION', `option "horizonDays" must be a whole number from 1 to 3650, got ${String(horizonDays)}`);
    }
    this.days = resolved.days;
    this.horizonDays = horizonDays;
    this.startMs = resolved.startMs;
    // The same simulation (the days option spreads the sign-ups), simply run on past the end.
    const foresight = new StorefrontSimulation(resolved);
    const scratch = new DayBatch();
    for (let day = 0; day < resolved.days + horizonDays; day++) foresight.simulateDay(day, scratch);
    this.leaveDays = foresight.leaveDays();
    this.simulation = new StorefrontSimulation(resolved);
    this.customerIds = this.simulation.customerIds;
    const random = new RandomSource((resolved.seed + RESPONSE_STREAM) | 0);
    this.draws = new Float64Array(resolved.customers * RETENTION_ACTIONS.length);
    for (let index = 0; index < this.draws.length; index++) this.draws[index] = random.uniform();
  }

  /** Simulates `day` (0, 1, 2, ... in order) and returns its events and visitors. */
  simulateDay(day: number): WorldDay {
    if (day !== this.nextDay || day >= this.days) {
      throw new OptionsError('GENERATE_ORDER', `days are simulated in order from 0 to ${this.days - 1}; expected day ${this.nextDay}, got ${day}`);
    }
    this.nextDay++;
    const batch = this.batch;
    this.simulation.simulateDay(day, batch);
    const dayStart = this.startMs + day * DAY_MS;
    const events: ChurnEvent[] = new Array(batch.count);
    const eventCustomers = new Int32Array(batch.count);
    const visitors: Visitor[] = [];
    const seen = new Set<number>();
    for (let position = 0; position < batch.count; position++) {
      const row = batch.order[position]!;
      events[position] = toEvent(batch, row, dayStart, this.customerIds);
      const customer = batch.customer[row]!;
      eventCustomers[position] = customer;
      if (batch.type[row] === EVENT_CODE.session_start && !seen.has(customer)) {
        seen.add(customer);
        visitors.push({ customer, customerId: this.customerIds[customer]!, firstSessionMs: events[position]!.ts });
      }
    }
    return { events, eventCustomers, visitors };
  }

  /** The answer key for a customer considered at the end of `day`: the day simulated last (hidden state moves on). */
  truth(customer: number, day: number): DecisionTruth {
    if (day !== this.nextDay - 1) {
      throw new OptionsError('GENERATE_ORDER', `the answer key is read for the day simulated last (${this.nextDay - 1}), got day ${day}`);
    }
    const behaviour = this.simulation.behaviour(customer, day);
    const leaveDay = this.leaveDays[customer]!;
    const wouldLeave = leaveDay >= 0 && leaveDay <= day + this.horizonDays;
    const probability = leaveProbability(behaviour, this.horizonDays);
    const actions = {} as Record<RetentionAction, ActionTruth>;
    RETENTION_ACTIONS.forEach((action, index) => {
      const shares = responseShares(action, behaviour);
      const draw = this.draws[customer * RETENTION_ACTIONS.length + index]!;
      actions[action] = { type: responseType(wouldLeave, draw, shares), shares, expectedUplift: expectedUplift(probability, shares) };
    });
    return { wouldLeave, leaveProbability: probability, behaviour, actions };
  }
}
