/**
 * The behaviour every ChurnStore adapter must show, written once and run against every
 * store: SQLite, Redis, in-memory, Workers KV and Durable Object (the *-store.test.ts files).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChurnEvent } from '../../../src/events/types.js';
import { applyEvent, createCustomerState, featuresAt } from '../../../src/features/online-state.js';
import type { ChurnStore, Decision, PastDecision, RepeatLimits } from '../../../plugin/store/types.js';
import { storeEventColumns } from '../../../src/retrain/store-event-columns.js';
import { keyCustomerIds } from '../../../plugin/store/keyed-customer-ids.js';

/** Options every Node store takes the same way. */
export interface CommonStoreOptions {
  customerIdKey?: string;
}

export interface StoreFactory {
  /** A fresh, empty store. */
  open(options?: CommonStoreOptions): Promise<ChurnStore>;
  /** A second store over the same data (a reopened file, another client), after `first` was used. */
  reopen(first: ChurnStore, options?: CommonStoreOptions): Promise<ChurnStore>;
  /**
   * Every byte the store holds (file contents, or every key and value), to look for what must
   * not be there. Given by the durable Node stores (SQLite, Redis), which also refuse a batch
   * whole, read a customer's view in one go, erase and key customer ids: the suite checks
   * those only for them.
   */
  storedBytes?(store: ChurnStore): Promise<Buffer>;
  /**
   * False for a store without the optional `decisionLog()` and challenger log (the edge
   * stores: uplift models and champion-challenger comparisons read SQLite or Redis). The suite
   * then checks the store really has neither.
   */
  keepsDecisionLog?: false;
  /**
   * False for the key-value stores over a backend several store objects share (Workers KV,
   * and the memory store's map reopened): their decision lock holds within one store object,
   * so two objects deciding at once are not checked against each other. The suite then checks
   * the cooldown and cap across objects only for the others.
   */
  decisionsAtomicAcrossObjects?: false;
}

const SECRET = 'a-secret-of-at-least-16-bytes';

const DAY_MS = 86_400_000;
const T0 = Date.UTC(2026, 0, 10);

export function sampleEvents(customerId: string, startTs = T0): ChurnEvent[] {
  return [
    { customerId, ts: startTs, type: 'session_start', channel: 'web' },
    { customerId, ts: startTs + 1_000, type: 'page_view', category: 'shoes' },
    { customerId, ts: startTs + 2_000, type: 'add_to_cart', value: 59.9, quantity: 1, category: 'shoes' },
    { customerId, ts: startTs + 3_000, type: 'order', value: 59.9, quantity: 1, category: 'shoes' },
    { customerId, ts: startTs + 5 * DAY_MS, type: 'support_ticket' },
    { customerId, ts: startTs + 6 * DAY_MS, type: 'review', rating: 2 },
    { customerId, ts: startTs + 9 * DAY_MS, type: 'order', value: 20, quantity: 2, category: 'socks' },
  ];
}

/** The state the online-feature module itself computes from the same events, applied in time order. */
function referenceFeatures(events: readonly ChurnEvent[], asOf: number): Record<string, number> {
  let state = createCustomerState();
  for (const event of [...events].sort((a, b) => a.ts - b.ts)) state = applyEvent(state, event);
  return featuresAt(state, asOf);
}

export function decision(overrides: Partial<Decision> = {}): Decision {
  return {
    customerId: 'c1',
    ts: T0,
    day: '2026-01-10',
    modelVersion: 'test-1',
    probability: 0.6,
    customerValue: 100,
    group: 'treatment',
    action: 'coupon',
    cost: 5,
    expectedValues: { coupon: 4.1, none: 0 },
    skipped: {},
    explanation: 'coupon: EV 4.10 > none',
    ...overrides,
  };
}

export function describeStoreBehaviour(name: string, factory: StoreFactory): void {
  describe(`${name} store behaviour`, () => {
    let store: ChurnStore;
    beforeEach(async () => {
      store = await factory.open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('knows nothing of a customer who sent no events', async () => {
      expect(await store.getCustomerState('nobody')).toBeNull();
      expect(await store.countCustomers()).toBe(0);
      expect(await store.listCustomers(10)).toEqual([]);
      await store.appendEvents([]);
      expect(await store.countCustomers()).toBe(0);
    });

    it('folds appended events into the same features the online-state module computes', async () => {
      const events = sampleEvents('c1');
      await store.appendEvents(events);
      const asOf = T0 + 20 * DAY_MS;
      const state = await store.getCustomerState('c1');
      expect(state).not.toBeNull();
      const stored = featuresAt(state!, asOf);
      expect(stored).toEqual(referenceFeatures(events, asOf));
      expect(stored).not.toEqual(featuresAt(createCustomerState(), asOf));
    });

    it('gives the same state whether events come in one shuffled batch or one at a time', async () => {
      const events = sampleEvents('batch');
      await store.appendEvents([...events].reverse());
      for (const event of events) await store.appendEvents([{ ...event, customerId: 'single' }]);
      const asOf = T0 + 30 * DAY_MS;
      expect(featuresAt((await store.getCustomerState('batch'))!, asOf)).toEqual(
        featuresAt((await store.getCustomerState('single'))!, asOf),
      );
    });

    it('keeps every event of concurrent appends for the same customer', async () => {
      const events = sampleEvents('busy');
      await Promise.all(events.map((event) => store.appendEvents([event])));
      const asOf = T0 + 30 * DAY_MS;
      expect(featuresAt((await store.getCustomerState('busy'))!, asOf)).toEqual(referenceFeatures(events, asOf));
    });

    // A client that cuts a string between the two halves of an emoji sends half of a surrogate
    // pair (the events route takes any category of up to 200 characters); UTF-8 holds it as U+FFFD.
    it('counts a category holding half of a surrogate pair once, however many events bring it, also for the next instance', async () => {
      const view = (ts: number): ChurnEvent => ({ customerId: 'cut', ts, type: 'page_view', category: 'shoes \ud83d' });
      await store.appendEvents([view(T0)]);
      await store.appendEvents([view(T0 + 1)]);
      const other = await factory.reopen(store);
      try {
        await other.appendEvents([view(T0 + 2)]);
        expect((await other.getCustomerState('cut'))!.categories).toEqual(['shoes \ufffd']);
      } finally {
        await other.close();
      }
    });

    it('lists customers in a stable order, page by page, and counts them', async () => {
      const ids = ['c3', 'c1', 'c10', 'c2'];
      await store.appendEvents(ids.flatMap((id) => sampleEvents(id).slice(0, 2)));
      expect(await store.countCustomers()).toBe(4);
      const firstPage = await store.listCustomers(2);
      const secondPage = await store.listCustomers(2, 2);
      expect([...firstPage, ...secondPage].map((c) => c.customerId)).toEqual(['c1', 'c10', 'c2', 'c3']);
      expect(firstPage[0]!.state).toEqual(await store.getCustomerState('c1'));
      expect(await store.listCustomers(0)).toEqual([]);
      expect(await store.listCustomers(-5)).toEqual([]);
      expect(await store.listCustomers(10, 100)).toEqual([]);
    });

    // Customer ids are any text up to 200 characters: the characters stores and their
    // transports use as separators or markers must not make two customers one.
    it('keeps apart customers whose ids differ only in separator, marker or control characters', async () => {
      const ids = ['Infinity', '\u0000Infinity', '\u0000\u0000Infinity', 'a', 'a:b', 'a:', ':a', 'a\u0000', '\u0000a', 'a/b', 'a,b', 'a b', '.', '..'];
      // Customer i sends i + 1 page views, so each one's count says whose events it holds.
      await store.appendEvents(ids.flatMap((customerId, i) => Array.from({ length: i + 1 }, (_, n): ChurnEvent => ({ customerId, ts: T0 + n, type: 'page_view', category: customerId }))));
      await store.recordDecision(decision({ customerId: '\u0000Infinity' }), Infinity);
      for (const [i, customerId] of ids.entries()) {
        const state = await store.getCustomerState(customerId);
        expect({ customerId, views: state?.eventsTotal, categories: state?.categories }).toEqual({ customerId, views: i + 1, categories: [customerId] });
        expect((await store.decisionsSince(customerId, 0)).map((logged) => logged.customerId)).toEqual(customerId === '\u0000Infinity' ? [customerId] : []);
      }
      expect((await store.listCustomers(100)).map((listed) => listed.customerId).sort()).toEqual([...ids].sort());
    });

    // Stores write ids as UTF-8, where half of a surrogate pair becomes U+FFFD: called directly
    // (a batch job; the routes refuse such ids first), a store must not merge "x\ud800" with "x\ufffd".
    it('refuses, storing nothing, a customer id holding half of a surrogate pair, and never reads another customer for it', async () => {
      await store.appendEvents(sampleEvents('x\ufffd'));
      const lone = 'x\ud800';
      // One at a time: a refusal made while another is awaited would be unhandled for a while.
      const refusals = [
        () => store.appendEvents([...sampleEvents('fine'), ...sampleEvents(lone)]),
        () => store.recordDecision(decision({ customerId: lone }), 100),
        () => store.recordOutcome({ customerId: lone, ts: T0, retained: true }),
      ];
      for (const refused of refusals) await expect(refused()).rejects.toMatchObject({ code: 'STORE_CUSTOMER_ID', message: expect.stringMatching(/half of a UTF-16 surrogate pair/) });
      expect(await store.getCustomerState('fine')).toBeNull();
      expect(await store.spent('2026-01-10')).toBe(0);
      // Read as unknown, or refused: never the other customer's state.
      const read = await store.getCustomerState(lone).catch((error: unknown) => error);
      expect(read === null || (read as { code?: unknown }).code === 'STORE_CUSTOMER_ID').toBe(true);
      expect((await store.getCustomerState('x\ufffd'))?.eventsTotal).toBe(sampleEvents('x').length);
    });

    // Called directly (a backfill; the routes apply the event-time policy first), a store refuses
    // an event with no usable time: Redis and the key-value stores logged it with no time, and
    // SQLite failed the batch with its own NOT NULL constraint.
    it('refuses, storing nothing, a batch holding an event whose time is not a finite number', async () => {
      for (const ts of [Number.NaN, Number.POSITIVE_INFINITY, '2026-01-10', undefined]) {
        const untimed = { customerId: 'untimed', type: 'order', value: 5, ts } as unknown as ChurnEvent;
        await expect(store.appendEvents([...sampleEvents('fine'), untimed])).rejects.toMatchObject({
          code: 'STORE_EVENT_TIME',
          message: expect.stringMatching(/event \d+ of the batch \(customer "untimed"\): expected "ts" to be a finite number of epoch milliseconds, got .+; nothing of the batch was stored$/),
        });
      }
      expect(await store.getCustomerState('fine')).toBeNull();
      expect(await store.getCustomerState('untimed')).toBeNull();
      expect(await store.countCustomers()).toBe(0);
    });

    it('records decisions until the day budget is spent, then refuses without writing', async () => {
      expect(await store.recordDecision(decision({ cost: 6 }), 10)).toBe(true);
      expect(await store.recordDecision(decision({ cost: 4, ts: T0 + 1 }), 10)).toBe(true);
      expect(await store.spent('2026-01-10')).toBeCloseTo(10, 9);
      expect(await store.recordDecision(decision({ cost: 0.5, ts: T0 + 2 }), 10)).toBe(false);
      expect(await store.spent('2026-01-10')).toBeCloseTo(10, 9);
      expect(await store.decisionsSince('c1', 0)).toHaveLength(2);
      // Free decisions (hold-out, "none") are always logged; another day has its own budget.
      expect(await store.recordDecision(decision({ cost: 0, action: null, ts: T0 + 3 }), 10)).toBe(true);
      expect(await store.recordDecision(decision({ cost: 4, day: '2026-01-11', ts: T0 + DAY_MS }), 10)).toBe(true);
      expect(await store.spent('2026-01-11')).toBe(4);
      expect(await store.spent('2026-02-01')).toBe(0);
    });

    // Called directly, a store refuses a cost the budget cannot count: a negative one lowered the
    // day's spend on SQLite and Redis, and NaN went differently in each store.
    it('refuses, recording and charging nothing, a decision whose cost is negative or not a finite number', async () => {
      expect(await store.recordDecision(decision({ cost: 6 }), 10)).toBe(true);
      for (const cost of [-5, Number.NaN, Number.POSITIVE_INFINITY, '1' as unknown as number]) {
        await expect(store.recordDecision(decision({ cost, ts: T0 + 1 }), 10)).rejects.toMatchObject({
          code: 'STORE_DECISION_COST',
          message: expect.stringMatching(/a decision's cost must be a finite amount of at least 0, got .+; nothing was recorded$/),
        });
      }
      expect(await store.spent('2026-01-10')).toBe(6);
      expect(await store.decisionsSince('c1', 0)).toHaveLength(1);
    });

    it('fills the budget exactly despite floating-point sums', async () => {
      expect(await store.recordDecision(decision({ cost: 0.1 }), 0.3)).toBe(true);
      expect(await store.recordDecision(decision({ cost: 0.2, ts: T0 + 1 }), 0.3)).toBe(true);
      expect(await store.recordDecision(decision({ cost: 0.01, ts: T0 + 2 }), 0.3)).toBe(false);
    });

    it('adds costs given in cents exactly: 40 emails at 0.10 spend 4, not 4.000000000000002', async () => {
      // Summed naively, 40 × 0.10 is 4.000000000000002 and the 40th email would not fit a budget of 4.
      for (let i = 0; i < 40; i++) {
        expect(await store.recordDecision(decision({ customerId: `e${i}`, action: 'email', cost: 0.1, ts: T0 + i }), 4)).toBe(true);
      }
      expect(await store.spent('2026-01-10')).toBe(4);
      expect(await store.recordDecision(decision({ customerId: 'late', action: 'email', cost: 0.1, ts: T0 + 5000 }), 4)).toBe(false);
      expect(await store.decisionSummary()).toEqual([{ action: 'email', group: 'treatment', count: 40, cost: 4 }]);
    });

    it('never overspends when many decisions race for the last of the budget', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.recordDecision(decision({ customerId: `r${i}`, cost: 1 }), 5)),
      );
      expect(results.filter(Boolean)).toHaveLength(5);
      expect(await store.spent('2026-01-10')).toBe(5);
    });

    describe('the cooldown and cap, checked as the decision is recorded', () => {
      /** The limits of an action at `now`, as the policy gives them (cooldown a day, cap window 30 days). */
      const limitsAt = (now: number, maxPerCustomer = Infinity, cooldownMs = DAY_MS): RepeatLimits => ({
        cooldownAfter: now - cooldownMs,
        capSince: now - 30 * DAY_MS,
        maxPerCustomer,
      });

      it('refuses the same action again within its cooldown, writing nothing and charging nothing', async () => {
        expect(await store.recordDecision(decision({ ts: T0 }), 100, limitsAt(T0))).toBe(true);
        expect(await store.recordDecision(decision({ ts: T0 + 1_000 }), 100, limitsAt(T0 + 1_000))).toBe('cooldown');
        expect((await store.decisionsSince('c1', 0)).map((d) => d.ts)).toEqual([T0]);
        expect(await store.spent('2026-01-10')).toBe(5);
        expect(await store.decisionSummary()).toEqual([{ action: 'coupon', group: 'treatment', count: 1, cost: 5 }]);
        // The cooldown's start is exclusive, as the ranking reads it: a day later the coupon is due again.
        expect(await store.recordDecision(decision({ ts: T0 + DAY_MS, day: '2026-01-11' }), 100, limitsAt(T0 + DAY_MS))).toBe(true);
      });

      it('refuses past maxPerCustomer within the cap window, counting no decision from before it', async () => {
        for (const ts of [T0 - 40 * DAY_MS, T0 - 20 * DAY_MS, T0 - 10 * DAY_MS]) await store.recordDecision(decision({ ts, cost: 0 }), 100);
        expect(await store.recordDecision(decision({ ts: T0 }), 100, limitsAt(T0, 2))).toBe('cap');
        expect(await store.decisionsSince('c1', 0)).toHaveLength(3);
        expect(await store.spent('2026-01-10')).toBe(0);
        expect(await store.recordDecision(decision({ ts: T0 }), 100, limitsAt(T0, 3))).toBe(true);
      });

      it('names the cooldown when both are reached, and the budget only once neither is', async () => {
        await store.recordDecision(decision({ ts: T0, cost: 0 }), 100);
        expect(await store.recordDecision(decision({ ts: T0 + 1 }), 0, limitsAt(T0 + 1, 1))).toBe('cooldown');
        expect(await store.recordDecision(decision({ ts: T0 + 1 }), 0, limitsAt(T0 + 1, 1, 0))).toBe('cap');
        expect(await store.recordDecision(decision({ ts: T0 + 1, action: 'care' }), 0, limitsAt(T0 + 1, 1))).toBe(false);
      });

      it('counts toward the cap a decision made exactly when the cap window starts, not one a millisecond earlier; the cooldown binds to its last millisecond', async () => {
        const capStart = T0 - 30 * DAY_MS;
        await store.recordDecision(decision({ ts: capStart - 1, cost: 0 }), 100);
        expect(await store.recordDecision(decision({ ts: T0 }), 100, limitsAt(T0, 1))).toBe(true);
        await store.recordDecision(decision({ customerId: 'c2', ts: capStart, cost: 0 }), 100);
        expect(await store.recordDecision(decision({ customerId: 'c2', ts: T0 }), 100, limitsAt(T0, 1))).toBe('cap');
        // A day's cooldown: refused one millisecond before it runs out.
        await store.recordDecision(decision({ customerId: 'c3', ts: T0 - DAY_MS + 1, cost: 0 }), 100);
        expect(await store.recordDecision(decision({ customerId: 'c3', ts: T0 }), 100, limitsAt(T0))).toBe('cooldown');
      });

      it('refuses within a cooldown longer than the cap window, with no cap (the decisions read reach back to the cooldown)', async () => {
        await store.recordDecision(decision({ ts: T0 - 45 * DAY_MS, cost: 0 }), 100);
        expect(await store.recordDecision(decision({ ts: T0 }), 100, limitsAt(T0, Infinity, 60 * DAY_MS))).toBe('cooldown');
        expect(await store.recordDecision(decision({ ts: T0 }), 100, limitsAt(T0, Infinity, 40 * DAY_MS))).toBe(true);
      });

      const keysIds = factory.storedBytes !== undefined;
      it.runIf(keysIds)(`checks the cooldown and cap of a customer stored under a keyed id${keysIds ? '' : ' (skipped: the store keys no customer ids)'}`, async () => {
        const keyed = await factory.open({ customerIdKey: SECRET });
        try {
          const alice = (ts: number) => decision({ customerId: 'alice@example.com', ts });
          expect(await keyed.recordDecision(alice(T0), 100, limitsAt(T0, 1))).toBe(true);
          expect(await keyed.recordDecision(alice(T0 + 1), 100, limitsAt(T0 + 1, 2))).toBe('cooldown');
          expect(await keyed.recordDecision(alice(T0 + 1), 100, limitsAt(T0 + 1, 1, 0))).toBe('cap');
          expect(await keyed.decisionsSince('alice@example.com', 0)).toHaveLength(1);
        } finally {
          await keyed.close();
        }
      });

      it('still allows another action, and the same action for another customer', async () => {
        expect(await store.recordDecision(decision({ ts: T0 }), 100, limitsAt(T0, 1))).toBe(true);
        expect(await store.recordDecision(decision({ ts: T0 + 1, action: 'care', cost: 1 }), 100, limitsAt(T0 + 1, 1))).toBe(true);
        expect(await store.recordDecision(decision({ ts: T0 + 1, customerId: 'c2' }), 100, limitsAt(T0 + 1, 1))).toBe(true);
        expect(await store.spent('2026-01-10')).toBe(11);
      });

      it('counts a hold-out decision by the action it would have issued, as the ranking does', async () => {
        expect(await store.recordDecision(decision({ ts: T0, group: 'holdout', cost: 0 }), 100, limitsAt(T0))).toBe(true);
        expect(await store.recordDecision(decision({ ts: T0 + 1, group: 'holdout', cost: 0 }), 100, limitsAt(T0 + 1))).toBe('cooldown');
        expect(await store.decisionsSince('c1', 0)).toHaveLength(1);
      });

      it('checks nothing but the budget when given no limits (a caller of the two-argument form)', async () => {
        expect(await store.recordDecision(decision({ ts: T0 }), 100)).toBe(true);
        expect(await store.recordDecision(decision({ ts: T0 + 1 }), 100)).toBe(true);
        expect(await store.recordDecision(decision({ ts: T0 + 2 }), 10)).toBe(false);
      });

      it('takes limits given as undefined as none, as a wrapper passing the optional argument on gives them', async () => {
        expect(await store.recordDecision(decision({ ts: T0 }), 100, undefined)).toBe(true);
        expect(await store.recordDecision(decision({ ts: T0 + 1 }), 100, undefined)).toBe(true);
        expect(await store.recordDecision(decision({ ts: T0 + 2 }), 10, undefined)).toBe(false);
        // The plugin's keyed ids are such a wrapper.
        const keyed = keyCustomerIds(store, SECRET);
        expect(await keyed.recordDecision(decision({ ts: T0 + 3, cost: 0 }), 10)).toBe(true);
        expect(await keyed.decisionsSince('c1', 0)).toHaveLength(1);
      });

      it('lets one of many concurrent decisions of the action through', async () => {
        const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => store.recordDecision(decision({ ts: T0 + i }), 100, limitsAt(T0 + i))));
        expect(answers.filter((answer) => answer === true)).toHaveLength(1);
        expect(answers.filter((answer) => answer === 'cooldown')).toHaveLength(9);
        expect(await store.decisionsSince('c1', 0)).toHaveLength(1);
        expect(await store.spent('2026-01-10')).toBe(5);
      });

      const lockPerObject = factory.decisionsAtomicAcrossObjects === false;
      const skippedWhy = lockPerObject ? ' (skipped: its decision lock holds within one store object)' : '';
      it.skipIf(lockPerObject)(`lets one through when two instances over the same data decide at once${skippedWhy}`, async () => {
        const other = await factory.reopen(store);
        try {
          const answers = await Promise.all(
            [store, other, store, other].map((instance, i) => instance.recordDecision(decision({ ts: T0 + i }), 100, limitsAt(T0 + i))),
          );
          expect(answers.filter((answer) => answer === true)).toHaveLength(1);
          expect(await other.decisionsSince('c1', 0)).toHaveLength(1);
          expect(await store.spent('2026-01-10')).toBe(5);
        } finally {
          await other.close();
        }
      });
    });

    it('returns a customer\'s decisions at or after a time, oldest first, exactly as logged', async () => {
      const logged = decision({ ts: T0 + 10, skipped: { care: 'cooldown' }, expectedValues: { coupon: 4.1, care: 2.3, none: 0 } });
      await store.recordDecision(decision({ ts: T0 }), 100);
      await store.recordDecision(logged, 100);
      await store.recordDecision(decision({ customerId: 'other', ts: T0 + 20 }), 100);
      expect(await store.decisionsSince('c1', T0 + 10)).toEqual([logged]);
      expect((await store.decisionsSince('c1', 0)).map((d) => d.ts)).toEqual([T0, T0 + 10]);
      expect(await store.decisionsSince('nobody', 0)).toEqual([]);
    });

    it('attributes outcomes to the customer\'s latest decision and counts each customer once', async () => {
      await store.recordDecision(decision({ customerId: 'a', action: 'care', cost: 1 }), 100);
      await store.recordDecision(decision({ customerId: 'a', action: 'coupon', ts: T0 + 5 }), 100);
      await store.recordDecision(decision({ customerId: 'b', action: 'coupon' }), 100);
      await store.recordDecision(decision({ customerId: 'h', action: null, group: 'holdout', cost: 0 }), 100);
      await store.recordOutcome({ customerId: 'a', ts: T0 + 10, retained: false });
      await store.recordOutcome({ customerId: 'a', ts: T0 + 20, retained: true }); // latest wins
      await store.recordOutcome({ customerId: 'b', ts: T0 + 10, retained: false });
      await store.recordOutcome({ customerId: 'h', ts: T0 + 10, retained: true });
      await store.recordOutcome({ customerId: 'x', ts: T0 + 10, retained: true, action: 'care', group: 'treatment' });
      await store.recordOutcome({ customerId: 'stranger', ts: T0 + 10, retained: true }); // no group: left out
      expect(await store.outcomeReport()).toEqual([
        { action: 'care', group: 'treatment', customers: 1, retained: 1 },
        { action: 'coupon', group: 'treatment', customers: 2, retained: 1 },
        { action: 'none', group: 'holdout', customers: 1, retained: 1 },
      ]);
    });

    it('summarises decisions and their cost per action and group', async () => {
      await store.recordDecision(decision({ cost: 5 }), 100);
      await store.recordDecision(decision({ customerId: 'b', cost: 2.5 }), 100);
      await store.recordDecision(decision({ customerId: 'c', action: null, cost: 0 }), 100);
      await store.recordDecision(decision({ customerId: 'h', action: null, group: 'holdout', cost: 0 }), 100);
      expect(await store.decisionSummary()).toEqual([
        { action: 'coupon', group: 'treatment', count: 2, cost: 7.5 },
        { action: 'none', group: 'holdout', count: 1, cost: 0 },
        { action: 'none', group: 'treatment', count: 1, cost: 0 },
      ]);
    });

    it.runIf(factory.keepsDecisionLog === false)('keeps no decision log, as its factory says (uplift training reads SQLite or Redis)', () => {
      expect(store.decisionLog).toBeUndefined();
    });

    it.runIf(factory.keepsDecisionLog === false)('keeps no event log either, and retraining from it says what it cannot rebuild', async () => {
      expect(store.eventLog).toBeUndefined();
      await expect(storeEventColumns(store)).rejects.toMatchObject({
        code: 'RETRAIN_NO_EVENT_LOG',
        message: expect.stringMatching(/only each customer's folded state.*features as of now, but no features as of an earlier cut-off and no churn labels/),
      });
    });

    it.skipIf(factory.keepsDecisionLog === false)('reads the decision log customer by customer, each decision with the outcome that belongs to it', async () => {
      const features = { recency_days: 12, segment: 'web', has_ordered: true, missing: null };
      await store.recordDecision(decision({ customerId: 'b', ts: T0, features }), Infinity);
      await store.recordDecision(decision({ customerId: 'a', ts: T0, group: 'holdout', cost: 0 }), Infinity);
      await store.recordDecision(decision({ customerId: 'a', ts: T0 + 10 * DAY_MS, action: 'care', cost: 2 }), Infinity);
      await store.recordOutcome({ customerId: 'a', ts: T0 + 5 * DAY_MS, retained: false, action: 'coupon', group: 'holdout' });
      await store.recordOutcome({ customerId: 'a', ts: T0 + 40 * DAY_MS, retained: true }); // the latest decision's: care
      // A correction of the care decision's outcome: the latest counts, as in the lift report.
      await store.recordOutcome({ customerId: 'a', ts: T0 + 41 * DAY_MS, retained: false, action: 'care', group: 'treatment' });
      const log = [];
      for await (const entry of store.decisionLog!()) log.push(entry);
      expect(log.map(({ decision: logged, outcome }) => [logged.customerId, logged.action, logged.group, outcome])).toEqual([
        ['a', 'coupon', 'holdout', { ts: T0 + 5 * DAY_MS, retained: false }],
        ['a', 'care', 'treatment', { ts: T0 + 41 * DAY_MS, retained: false }],
        ['b', 'coupon', 'treatment', null],
      ]);
      expect(log[2]!.decision.features).toEqual(features);
      // The lift report reads the same outcome for that decision.
      expect((await store.outcomeReport()).filter((row) => row.action === 'care')).toEqual([{ action: 'care', group: 'treatment', customers: 1, retained: 0 }]);
    });

    // Each instance stamps a decision with its own clock: one may be recorded after a later one.
    it.skipIf(factory.keepsDecisionLog === false)('logs each customer\'s decisions in time order however they were recorded, each with its own outcome', async () => {
      await store.recordDecision(decision({ customerId: 'a', ts: T0 + 10 * DAY_MS, action: 'care', cost: 1 }), Infinity);
      await store.recordDecision(decision({ customerId: 'a', ts: T0, action: 'coupon' }), Infinity);
      await store.recordOutcome({ customerId: 'a', ts: T0 + 5 * DAY_MS, retained: true, action: 'coupon', group: 'treatment' });
      const log = [];
      for await (const entry of store.decisionLog!()) log.push(entry);
      expect(log.map(({ decision: logged, outcome }) => [logged.action, outcome])).toEqual([
        ['coupon', { ts: T0 + 5 * DAY_MS, retained: true }],
        ['care', null],
      ]);
    });

    it.runIf(factory.keepsDecisionLog === false)('keeps no challenger scores, as its factory says (a challenger runs beside SQLite or Redis)', () => {
      expect(store.recordChallengerScores).toBeUndefined();
      expect(store.challengerLog).toBeUndefined();
    });

    it.skipIf(factory.keepsDecisionLog === false)('logs challenger scores, each read back with the first outcome at or after it', async () => {
      const score = (customerId: string, ts: number, champion: number, challenger: number) => ({
        customerId, ts, championVersion: 'v1', championProbability: champion, challengerVersion: 'v2', challengerProbability: challenger,
      });
      await store.recordChallengerScores!([score('b', T0, 0.2, 0.3), score('a', T0 + DAY_MS, 0.6, 0.7)]);
      await store.recordChallengerScores!([score('a', T0 + 20 * DAY_MS, 0.5, 0.9)]);
      await store.recordOutcome({ customerId: 'a', ts: T0 + 2 * DAY_MS, retained: true });
      await store.recordOutcome({ customerId: 'a', ts: T0 + 30 * DAY_MS, retained: false });
      const log = [];
      for await (const entry of store.challengerLog!()) log.push(entry);
      expect(log).toEqual([
        { score: score('a', T0 + DAY_MS, 0.6, 0.7), outcome: { ts: T0 + 2 * DAY_MS, retained: true } },
        { score: score('a', T0 + 20 * DAY_MS, 0.5, 0.9), outcome: { ts: T0 + 30 * DAY_MS, retained: false } },
        { score: score('b', T0, 0.2, 0.3), outcome: null },
      ]);
    });

    it('keeps every optional method it has behind the plugin\'s keyed ids (customerIds)', () => {
      const keyed = keyCustomerIds(store, SECRET);
      const methods = ['readCustomerView', 'eraseCustomer', 'externalWriteMark', 'decisionLog', 'eventLog', 'recordChallengerScores', 'challengerLog'] as const;
      expect(methods.filter((method) => keyed[method] !== undefined)).toEqual(methods.filter((method) => store[method] !== undefined));
    });

    it.skipIf(factory.keepsDecisionLog === false)('logs challenger scores behind the plugin\'s keyed ids under the key, as its event log names the customer', async () => {
      const keyed = keyCustomerIds(store, SECRET);
      await keyed.appendEvents(sampleEvents('alice@example.com'));
      await keyed.recordChallengerScores!([{ customerId: 'alice@example.com', ts: T0, championVersion: 'v1', championProbability: 0.5, challengerVersion: 'v2', challengerProbability: 0.4 }]);
      await keyed.recordOutcome({ customerId: 'alice@example.com', ts: T0 + DAY_MS, retained: true });
      const scores = [];
      for await (const entry of keyed.challengerLog!()) scores.push(entry);
      const events = [];
      for await (const batch of keyed.eventLog!()) events.push(...batch);
      const [key] = new Set(events.map((event) => event.customerId));
      expect(key).toMatch(/^h:/);
      expect(scores).toMatchObject([{ score: { customerId: key, ts: T0 }, outcome: { ts: T0 + DAY_MS, retained: true } }]);
    });

    it('skips an event whose id its customer already has, in the same batch or a later one', async () => {
      const [session, view, , order] = sampleEvents('idem');
      const withIds = [
        { ...session!, id: 'e1' },
        { ...view!, id: 'e2' },
        { ...order!, id: 'e3' },
      ];
      await store.appendEvents([withIds[0]!, withIds[1]!, withIds[1]!]);
      // A retried batch whose acknowledgement was lost, plus one new event, and an event without an id.
      await store.appendEvents([withIds[0]!, withIds[1]!, withIds[2]!, { ...view!, ts: view!.ts + 1 }]);
      await store.appendEvents([withIds[2]!]);
      const asOf = T0 + 20 * DAY_MS;
      expect(featuresAt((await store.getCustomerState('idem'))!, asOf)).toEqual(
        referenceFeatures([session!, view!, order!, { ...view!, ts: view!.ts + 1 }], asOf),
      );
      // Ids are per customer: the same id from another customer is another event.
      await store.appendEvents([{ ...withIds[2]!, customerId: 'other' }]);
      expect((await store.getCustomerState('other'))!.ordersTotal).toBe(1);
    });

    // The events route takes any id of up to 200 characters: one cut between the halves of a
    // surrogate pair holds half of one, which UTF-8 cannot hold (it becomes U+FFFD).
    it('keeps apart event ids that differ only in half of a surrogate pair, and still skips the retry of each', async () => {
      const order = (id: string, value: number): ChurnEvent => ({ customerId: 'cut', ts: T0 + value, type: 'order', value, id });
      await store.appendEvents([order('e\ud800', 1)]);
      await store.appendEvents([order('e\udc00', 2)]);
      await store.appendEvents([order('e\ufffd', 4)]);
      await store.appendEvents([order('e\ud800', 8), order('e\udc00', 16)]);
      expect((await store.getCustomerState('cut'))!.revenueTotal).toBe(7);
    });

    describe('erasing a customer (a deletion request)', () => {
      async function seed(customerId: string) {
        await store.appendEvents(sampleEvents(customerId).map((event, i) => ({ ...event, id: `${customerId}-${i}` })));
        await store.recordDecision(decision({ customerId }), 100);
        await store.recordOutcome({ customerId, ts: T0 + 1, retained: true });
      }

      it('erases their events, state, decisions and outcomes, says what it removed, and leaves everyone else', async () => {
        expect(store.eraseCustomer).toBeDefined();
        // An id with the separators a key layout might trip on.
        for (const id of ['gone', 'kept', 'gone:coupon:treatment:x']) await seed(id);
        expect(await store.eraseCustomer!('gone')).toEqual({ events: sampleEvents('gone').length, state: true, decisions: 1, outcomes: 1 });
        expect(await store.getCustomerState('gone')).toBeNull();
        expect(await store.decisionsSince('gone', 0)).toEqual([]);
        expect((await store.listCustomers(10)).map((customer) => customer.customerId)).toEqual(['gone:coupon:treatment:x', 'kept']);
        expect(await store.countCustomers()).toBe(2);
        expect(await store.getCustomerState('kept')).not.toBeNull();
        expect(await store.decisionsSince('kept', 0)).toHaveLength(1);
        expect(await store.outcomeReport()).toEqual([{ action: 'coupon', group: 'treatment', customers: 2, retained: 2 }]);
        // The money was spent: the day's spend stays.
        expect(await store.spent('2026-01-10')).toBe(15);
      });

      it('takes their decisions out of the decision summary, as out of the log: a row of theirs alone goes', async () => {
        await seed('kept');
        await seed('gone');
        // An action name with what JSON escapes, in case a store names its summary's rows by JSON.
        await store.recordDecision(decision({ customerId: 'gone', action: 'v"i\\p/\u0001\u007fé', cost: 3, ts: T0 + 1 }), 100);
        await store.recordDecision(decision({ customerId: 'gone', action: null, group: 'holdout', cost: 0, ts: T0 + 2 }), 100);
        await store.eraseCustomer!('gone');
        expect(await store.decisionSummary()).toEqual([{ action: 'coupon', group: 'treatment', count: 1, cost: 5 }]);
        // The money was spent all the same.
        expect(await store.spent('2026-01-10')).toBe(13);
      });

      // The policy's action names hold no ':', but a caller of the store (a back-office job
      // recording outcomes) names actions as it likes, and customer ids may hold ':' too.
      it('erases the outcomes of an action whose name holds ":", and no other customer\'s', async () => {
        await store.recordOutcome({ customerId: 'bob', ts: T0, retained: true, action: 'email:welcome', group: 'treatment' });
        await store.recordOutcome({ customerId: 'treatment:bob', ts: T0, retained: false, action: 'email', group: 'holdout' });
        expect(await store.eraseCustomer!('treatment:bob')).toMatchObject({ outcomes: 1 });
        expect(await store.outcomeReport()).toEqual([{ action: 'email:welcome', group: 'treatment', customers: 1, retained: 1 }]);
        expect(await store.eraseCustomer!('bob')).toMatchObject({ outcomes: 1 });
        expect(await store.outcomeReport()).toEqual([]);
      });

      it('is durable: the next instance over the same data does not see them either', async () => {
        await seed('gone');
        await store.eraseCustomer!('gone');
        const other = await factory.reopen(store);
        try {
          expect(await other.getCustomerState('gone')).toBeNull();
          expect(await other.decisionsSince('gone', 0)).toEqual([]);
          expect(await other.outcomeReport()).toEqual([]);
        } finally {
          await other.close();
        }
      });

      it('takes an unknown customer as no error (a report of zeros), and an erased customer comes back afresh', async () => {
        expect(await store.eraseCustomer!('nobody')).toEqual({ events: 0, state: false, decisions: 0, outcomes: 0 });
        await seed('back');
        await store.eraseCustomer!('back');
        expect(await store.eraseCustomer!('back')).toEqual({ events: 0, state: false, decisions: 0, outcomes: 0 });
        await store.appendEvents(sampleEvents('back').slice(0, 1));
        expect((await store.getCustomerState('back'))?.eventsTotal).toBe(1);
        // Their event ids went with them: the same event, posted again, is counted again.
        await store.appendEvents([{ ...sampleEvents('back')[0]!, id: 'back-0' }]);
        expect((await store.getCustomerState('back'))?.eventsTotal).toBe(2);
      });
    });

    describe.runIf(factory.storedBytes !== undefined)('what the durable Node stores add', () => {
      it('gives back every stored event through its event log, once each, with keyed ids as their keys', async () => {
        const keyed = await factory.open({ customerIdKey: SECRET });
        try {
          const alice = sampleEvents('alice@example.com').map((event, i) => ({ ...event, id: `a${i}` }));
          await keyed.appendEvents([...alice, ...sampleEvents('bob')]);
          await keyed.appendEvents([alice[0]!]); // a retry: stored once
          const logged: ChurnEvent[] = [];
          for await (const batch of keyed.eventLog!()) logged.push(...batch);
          // Each customer's events come back whole, once each, under their key (nothing names them).
          const byCustomer = new Map<string, Omit<ChurnEvent, 'customerId'>[]>();
          for (const { customerId, ...event } of logged) byCustomer.set(customerId, [...(byCustomer.get(customerId) ?? []), event]);
          expect([...byCustomer.keys()].every((key) => /^h:[A-Za-z0-9_-]{43}$/.test(key))).toBe(true);
          const withoutIds = (events: readonly ChurnEvent[]) => events.map(({ customerId: _customerId, ...event }) => event);
          const inTimeOrder = (events: Omit<ChurnEvent, 'customerId'>[]) => [...events].sort((a, b) => a.ts - b.ts);
          const stored = [...byCustomer.values()].map(inTimeOrder);
          expect(stored).toHaveLength(2);
          expect(stored).toEqual(expect.arrayContaining([inTimeOrder(withoutIds(alice)), inTimeOrder(withoutIds(sampleEvents('bob')))]));
          // What retraining reads: the same events, packed into the batch pipeline's columns.
          const columns = await storeEventColumns(keyed);
          expect([columns.length, columns.customerIds.length]).toEqual([logged.length, 2]);
        } finally {
          await keyed.close();
        }
      });

      it('stores nothing of a batch it refuses', async () => {
        await store.appendEvents(sampleEvents('before'));
        // A category past what the stored state can hold (65,535 UTF-8 bytes): the last customer's fold fails.
        const unstorable: ChurnEvent = { customerId: 'broken', ts: T0, type: 'page_view', category: 'x'.repeat(70_000) };
        await expect(store.appendEvents([...sampleEvents('fine'), { customerId: 'before', ts: T0 + 50 * DAY_MS, type: 'order', value: 9 }, unstorable])).rejects.toThrow(/category/);
        expect(await store.getCustomerState('fine')).toBeNull();
        expect(await store.getCustomerState('broken')).toBeNull();
        expect((await store.getCustomerState('before'))!.ordersTotal).toBe(2);
        expect(await store.countCustomers()).toBe(1);
      });

      it('reads features and recent decisions together, as getCustomerState and decisionsSince give them (of the decisions, at least time and action)', async () => {
        expect(store.readCustomerView).toBeDefined();
        await store.appendEvents(sampleEvents('viewed'));
        await store.recordDecision(decision({ customerId: 'viewed', ts: T0 }), 100);
        await store.recordDecision(decision({ customerId: 'viewed', ts: T0 + 10, action: 'care' }), 100);
        await store.recordDecision(decision({ customerId: 'decided-only', ts: T0 }), 100);
        const asOf = T0 + 20 * DAY_MS;
        const view = await store.readCustomerView!('viewed', asOf, T0 + 5);
        expect(view.features).toEqual(featuresAt((await store.getCustomerState('viewed'))!, asOf));
        const asPolicyReads = (decisions: readonly PastDecision[]) => decisions.map(({ ts, action }) => ({ ts, action }));
        expect(asPolicyReads(view.decisions)).toEqual(asPolicyReads(await store.decisionsSince('viewed', T0 + 5)));
        expect(view.decisions.map((d) => d.action)).toEqual(['care']);
        expect((await store.readCustomerView!('viewed', asOf, Infinity)).decisions).toEqual([]);
        expect(await store.readCustomerView!('nobody', asOf, 0)).toEqual({ features: null, decisions: [] });
        const decidedOnly = await store.readCustomerView!('decided-only', asOf, 0);
        expect(decidedOnly.features).toBeNull();
        expect(asPolicyReads(decidedOnly.decisions)).toEqual([{ ts: T0, action: 'coupon' }]);
      });

      it('leaves no byte of an erased customer (challenger scores included), and forgets their event ids', async () => {
        for (const id of ['gone', 'kept']) {
          await store.appendEvents(sampleEvents(id).map((event, i) => ({ ...event, id: `${id}-${i}` })));
          await store.recordChallengerScores!([{ customerId: id, ts: T0, championVersion: 'v1', championProbability: 0.5, challengerVersion: 'v2', challengerProbability: 0.4 }]);
        }
        await store.eraseCustomer!('gone');
        const challengerLog = [];
        for await (const entry of store.challengerLog!()) challengerLog.push(entry.score.customerId);
        expect(challengerLog).toEqual(['kept']);
        const bytes = await factory.storedBytes!(store);
        expect(bytes.includes('gone-')).toBe(false);
        expect(bytes.includes('"gone"')).toBe(false);
        expect(bytes.includes('kept-0')).toBe(true);
        // Erased ids are forgotten too: the same event is a new one now.
        await store.appendEvents([{ ...sampleEvents('gone')[0]!, id: 'gone-0' }]);
        expect((await store.getCustomerState('gone'))!.eventsTotal).toBe(1);
      });

      it('stores customer ids as keyed hashes when given a secret, and answers by the plain id', async () => {
        const keyed = await factory.open({ customerIdKey: SECRET });
        try {
          await keyed.appendEvents(sampleEvents('alice@example.com'));
          await keyed.recordDecision(decision({ customerId: 'alice@example.com' }), 100);
          await keyed.recordOutcome({ customerId: 'alice@example.com', ts: T0 + 1, retained: false });
          const asOf = T0 + 20 * DAY_MS;
          expect(featuresAt((await keyed.getCustomerState('alice@example.com'))!, asOf)).toEqual(referenceFeatures(sampleEvents('alice@example.com'), asOf));
          expect(await keyed.decisionsSince('alice@example.com', 0)).toEqual([decision({ customerId: 'alice@example.com' })]);
          // The view's past decisions are the customer's own, and name no one (least of all by their key).
          expect((await keyed.readCustomerView!('alice@example.com', asOf, 0)).decisions).toMatchObject([{ ts: T0, action: 'coupon' }]);
          expect(JSON.stringify((await keyed.readCustomerView!('alice@example.com', asOf, 0)).decisions)).not.toMatch(/h:/);
          expect(await keyed.outcomeReport()).toEqual([{ action: 'coupon', group: 'treatment', customers: 1, retained: 0 }]);
          const [listed] = await keyed.listCustomers(10);
          expect(listed!.customerId).toMatch(/^h:[A-Za-z0-9_-]{43}$/);
          expect((await factory.storedBytes!(keyed)).includes('alice')).toBe(false);

          const otherKey = await factory.reopen(keyed, { customerIdKey: `${SECRET}-rotated` });
          try {
            expect(await otherKey.getCustomerState('alice@example.com')).toBeNull();
          } finally {
            await otherKey.close();
          }
          expect(await keyed.eraseCustomer!('alice@example.com')).toMatchObject({ state: true, decisions: 1, outcomes: 1 });
          expect(await keyed.countCustomers()).toBe(0);
        } finally {
          await keyed.close();
        }
      });
    });

    it('keeps everything for the next instance over the same data', async () => {
      await store.appendEvents(sampleEvents('kept'));
      await store.recordDecision(decision({ customerId: 'kept' }), 100);
      await store.recordOutcome({ customerId: 'kept', ts: T0 + 1, retained: true });
      const other = await factory.reopen(store);
      try {
        expect(await other.getCustomerState('kept')).toEqual(await store.getCustomerState('kept'));
        expect(await other.decisionsSince('kept', 0)).toHaveLength(1);
        expect(await other.spent('2026-01-10')).toBe(5);
        expect(await other.outcomeReport()).toEqual([{ action: 'coupon', group: 'treatment', customers: 1, retained: 1 }]);
      } finally {
        await other.close();
      }
    });
  });
}
