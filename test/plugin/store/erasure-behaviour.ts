/**
 * What erasing a customer (a deletion request) must do in every store that offers
 * `eraseCustomer`: written once, run against each such store (memory-store.test.ts,
 * cloudflare-stores.test.ts; the SQLite and Redis stores call it too once they erase).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChurnStore } from '../../../plugin/store/types.js';
import { decision, sampleEvents, type StoreFactory } from './store-behaviour.js';

const T0 = Date.UTC(2026, 0, 10);

export function describeErasure(name: string, factory: StoreFactory): void {
  describe(`${name} store: erasing a customer`, () => {
    let store: ChurnStore;
    beforeEach(async () => {
      store = await factory.open();
    });
    afterEach(async () => {
      await store.close();
    });

    async function seed(customerId: string) {
      await store.appendEvents(sampleEvents(customerId));
      await store.recordDecision(decision({ customerId, cost: 5 }), 100);
      await store.recordOutcome({ customerId, ts: T0 + 1, retained: true });
    }

    it('removes their state, decisions and outcomes, and nobody else\'s', async () => {
      await seed('gone');
      await seed('kept');
      // An id with the separators a key layout might trip on.
      await seed('gone:coupon:treatment:x');
      await store.eraseCustomer!('gone');
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

    it('takes an unknown customer as no error, and a customer can come back afresh', async () => {
      await store.eraseCustomer!('nobody');
      await seed('back');
      await store.eraseCustomer!('back');
      await store.appendEvents(sampleEvents('back').slice(0, 1));
      expect((await store.getCustomerState('back'))?.eventsTotal).toBe(1);
    });
  });
}
